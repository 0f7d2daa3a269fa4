package app

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// progressDialog is the modal shown while long work runs: a message, a progress bar and
// Cancel.
type progressDialog struct {
	msg    *widget.Label
	bar    *widget.ProgressBar
	busy   *widget.ProgressBarInfinite
	cancel *widget.Button
	hide   func()
}

// runJob runs work in a goroutine with a cancellable context behind a progress dialog. work
// reports progress as a fraction in [0, 1], or a negative fraction and a message when the
// total is unknown ("120,000 rows read"); every widget update goes through fyne.Do. done is
// called on the UI goroutine with work's error (context.Canceled when the user cancelled).
func (u *UI) runJob(title, message string, work func(ctx context.Context, progress func(float64, string)) error, done func(error)) {
	ctx, cancel := context.WithCancel(context.Background())
	p := &progressDialog{msg: widget.NewLabel(message), bar: widget.NewProgressBar(), busy: widget.NewProgressBarInfinite()}
	p.bar.Hide()
	p.msg.Wrapping = fyne.TextWrapWord
	p.cancel = widget.NewButton("Cancel", func() {
		cancel()
		p.msg.SetText("Cancelling…")
		p.cancel.Disable()
	})
	box := container.NewVBox(p.msg, container.NewStack(p.bar, p.busy), container.NewCenter(p.cancel))
	sized := container.NewGridWrap(fyne.NewSize(460, box.MinSize().Height), box)
	p.hide = u.dlg.Custom(title, "", sized)
	u.opened.progress = p
	u.jobs.Add(1)
	go func() {
		defer u.jobs.Done()
		defer cancel()
		var last time.Time
		err := work(ctx, func(f float64, msg string) {
			if now := time.Now(); now.Sub(last) < 50*time.Millisecond && f < 1 {
				return // at most 20 updates a second
			} else {
				last = now
			}
			u.do(func() {
				if f >= 0 {
					p.busy.Stop()
					p.busy.Hide()
					p.bar.Show()
					p.bar.SetValue(f)
				}
				if msg != "" && !p.cancel.Disabled() {
					p.msg.SetText(msg)
				}
			})
		})
		if err == nil && ctx.Err() != nil {
			err = ctx.Err()
		}
		u.do(func() {
			p.hide()
			done(err)
		})
	}()
}

// runWithProgress is runJob for work that ends with a message to show.
func (u *UI) runWithProgress(title, message string, work func(ctx context.Context, progress func(float64, string)) (string, error)) {
	var result string
	u.runJob(title, message, func(ctx context.Context, progress func(float64, string)) error {
		var err error
		result, err = work(ctx, progress)
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, context.Canceled):
			u.dlg.Info(title, "Cancelled. Nothing was changed.")
		case err != nil:
			u.showError(title+" failed", err)
		case result != "":
			u.dlg.Info(title, result)
		}
	})
}

// generation lets a screen drop the result of a background read that a newer read has
// superseded (reads may finish out of order).
type generation struct{ n atomic.Int64 }

// next starts a new read and returns its number.
func (g *generation) next() int64 { return g.n.Add(1) }

// current reports whether read n is still the newest.
func (g *generation) current(n int64) bool { return g.n.Load() == n }
