package app

// Backups are the store's automatic backups: one made before every import, restorable from
// File > Restore a backup…. main adapts data.BackupBeforeImport, data.ListBackups and
// data.RestoreBackup to it.
type Backups interface {
	// BeforeImport saves the rotating backup of s made right before an import and returns
	// its path.
	BeforeImport(s Store) (string, error)
}
