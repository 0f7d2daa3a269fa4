package data

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkNewMatrix builds the grid from 100k statements by 50 actors on 20 topics.
func BenchmarkNewMatrix(b *testing.B) {
	stances := []string{"defends", "concerned", "condemns", "no comment", "defers", "shrugs"}
	var stmts []Statement
	for i := range 100_000 {
		stmts = append(stmts, Statement{
			ID:    fmt.Sprintf("S-%d", i),
			Date:  DateOf(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%2000)),
			Actor: fmt.Sprintf("Actor %d", i%50), Topic: fmt.Sprintf("Topic %d", i%20),
			Stance: stances[i%len(stances)],
		})
	}
	vocab := DefaultVocabulary()
	opts := MatrixOptions{AsOf: MustDate("2024-06-30"), Since: MustDate("2024-01-01")}
	b.ResetTimer()
	for b.Loop() {
		if _, err := NewMatrix(stmts, vocab, opts); err != nil {
			b.Fatal(err)
		}
	}
}
