package data

import (
	"fmt"
	"time"
)

// PositionsSource is what the positions views read from: *Store satisfies it.
type PositionsSource interface {
	Statements(f Filter) ([]Statement, error)
	Vocabulary() (Vocabulary, error)
	HasDemoData() (bool, error)
}

// Positions is what the positions grid, the stance charts and their exports are built from:
// every statement, the stance vocabulary, and whether the store holds demo data.
type Positions struct {
	Statements []Statement
	Vocab      Vocabulary
	Demo       bool
}

// ReadPositions reads the statements, the stance vocabulary and whether src holds demo data.
func ReadPositions(src PositionsSource) (Positions, error) { return ReadPositionsAt(src, time.Time{}) }

// ReadPositionsAt is ReadPositions with the statements as the store held them at knownOn
// (zero: the current ones).
func ReadPositionsAt(src PositionsSource, knownOn time.Time) (Positions, error) {
	var p Positions
	var err error
	if p.Statements, err = src.Statements(Filter{KnownOn: knownOn}); err != nil {
		return p, fmt.Errorf("reading statements: %w", err)
	}
	if p.Vocab, err = src.Vocabulary(); err != nil {
		return p, fmt.Errorf("reading the stance vocabulary: %w", err)
	}
	if ds, ok := src.(interface {
		DemoDrawn(k Kind, f Filter) (bool, error)
	}); ok {
		// Positions draw statements: the demo note follows demo statements, not demo incidents.
		p.Demo, err = ds.DemoDrawn(KindStatement, Filter{})
	} else {
		p.Demo, err = src.HasDemoData()
	}
	if err != nil {
		return p, fmt.Errorf("checking for demo data: %w", err)
	}
	return p, nil
}

// Matrix builds the positions grid that opts choose.
func (p Positions) Matrix(opts MatrixOptions) (Matrix, error) {
	return NewMatrix(p.Statements, p.Vocab, opts)
}

// Timelines builds every actor's changes of position that opts choose.
func (p Positions) Timelines(opts MatrixOptions) ([]Timeline, error) {
	return NewTimelines(p.Statements, p.Vocab, opts)
}

// OneTopic keeps the timelines of the first topic among tls (the one with the most
// statements), for a chart that shows one topic.
func OneTopic(tls []Timeline) []Timeline {
	if len(tls) == 0 {
		return tls
	}
	first := tls[0].Topic
	var keep []Timeline
	for _, t := range tls {
		if t.Topic == first {
			keep = append(keep, t)
		}
	}
	return keep
}

var _ PositionsSource = (*Store)(nil)
