//go:build linux

package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestFullDiskGivesBack imports into a store on a small tmpfs (in a user and mount namespace:
// `unshare -rm`) until the disk is full. The import fails with one line, gives back the space it
// took (the store file is no larger than before), the store is sound, and a restore still
// works (issue 14: the file stayed grown, the disk full, and restore failed too).
func TestFullDiskGivesBack(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 60,000 rows onto a full disk")
	}
	if err := exec.Command("unshare", "-rm", "true").Run(); err != nil {
		t.Skipf("no user and mount namespaces here: %v", err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "sitrep.db")
	loadDemo(t, db)
	fi, err := os.Stat(db)
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.csv")
	writeBigCSV(t, big, "F", 60000)
	mnt := filepath.Join(dir, "mnt")
	os.Mkdir(mnt, 0o755)
	sizeKB := (2*fi.Size() + 1536<<10) >> 10
	self, _ := os.Executable()
	script := `mount -t tmpfs -o size=` + strconv.FormatInt(sizeKB, 10) + `k tmpfs "$MNT" || exit 90
cp "$DB" "$MNT/s.db"
before=$(stat -c %s "$MNT/s.db")
"$SELF" import --db "$MNT/s.db" "$BIG" >/dev/null 2>"$MNT/../import.err"
echo "import=$?"
echo "before=$before"
echo "after=$(stat -c %s "$MNT/s.db")"
"$SELF" check --db "$MNT/s.db" >/dev/null 2>&1; echo "check=$?"
"$SELF" restore --db "$MNT/s.db" 1 >/dev/null 2>"$MNT/../restore.err"; echo "restore=$?"
`
	cmd := exec.Command("unshare", "-rm", "sh", "-c", script)
	cmd.Env = append(os.Environ(), "SITREP_RELEASE_CLI=1", "MNT="+mnt, "DB="+db, "BIG="+big, "SELF="+self)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	got := map[string]int64{}
	for _, m := range regexp.MustCompile(`(\w+)=(\d+)`).FindAllStringSubmatch(string(out), -1) {
		got[m[1]], _ = strconv.ParseInt(m[2], 10, 64)
	}
	impErr, _ := os.ReadFile(filepath.Join(dir, "import.err"))
	resErr, _ := os.ReadFile(filepath.Join(dir, "restore.err"))
	t.Logf("tmpfs %d KB: %s\nimport: %s", sizeKB, strings.TrimSpace(string(out)), impErr)
	if got["import"] != 1 || !strings.Contains(string(impErr), "no space left on device") {
		t.Errorf("import on a full disk: exit %d, %s", got["import"], impErr)
	}
	if !strings.Contains(string(impErr), "gave back") {
		t.Errorf("the failed import did not give back its space: %s", impErr)
	}
	if got["after"] > got["before"] {
		t.Errorf("store file grew from %d to %d bytes", got["before"], got["after"])
	}
	if got["check"] != 0 {
		t.Errorf("check after the failed import: exit %d", got["check"])
	}
	if got["restore"] != 0 {
		t.Errorf("restore after the failed import: exit %d: %s", got["restore"], resErr)
	}

}
