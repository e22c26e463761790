package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// minCountdown is the shortest warning before a wipe (UX.md, after WCAG
// 2.2.1: at least 20 s; the rule asks for 30).
const minCountdown = 30 * time.Second

// selfIdle watches for a citizen who walked away. After the quiet time it
// covers the screen with a warning, a countdown and one large "Devam et";
// any touch puts the visit back as it was, as often as needed; at the end
// of the countdown the visit is wiped.
type selfIdle struct {
	last    time.Time
	quiet   time.Duration // before the warning
	warn    time.Duration // the countdown
	left    *widget.Label
	box     *fyne.Container
	showing bool
}

func newSelfIdle(t *texts, quiet, warn time.Duration, resume func()) *selfIdle {
	i := &selfIdle{quiet: quiet, warn: max(warn, minCountdown)}
	heading := t.heading("self.idle.title")
	heading.Wrapping = fyne.TextWrapWord
	i.left = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}, Importance: widget.WarningImportance}
	i.box = container.NewVBox(heading, i.left, container.NewHBox(t.large("self.next", true, resume)))
	return i
}

// staffQuiet is how long a visit waits untouched for the member of staff
// the citizen called, before the warning: "lütfen bu ekranda bekleyin"
// must not end in a wipe while they wait as asked. After it the warning
// and the countdown come as for any visit, so that a citizen who left
// leaves nothing on the screen.
const staffQuiet = 10 * time.Minute

// quietFor is the quiet time before the warning: longer while staff are
// on their way.
func (i *selfIdle) quietFor(waiting bool) time.Duration {
	if waiting {
		return max(i.quiet, staffQuiet)
	}
	return i.quiet
}

// touch restarts the quiet time.
func (i *selfIdle) touch(now time.Time) { i.last = now }

// state is what the quiet time at now calls for: nothing, the warning with
// the seconds left, or the wipe; waiting is a staff call under way.
func (i *selfIdle) state(now time.Time, waiting bool) (warn bool, seconds int, wipe bool) {
	quiet, before := now.Sub(i.last), i.quietFor(waiting)
	switch {
	case quiet >= before+i.warn:
		return false, 0, true
	case quiet >= before:
		return true, int((before + i.warn - quiet).Round(time.Second).Seconds()), false
	}
	return false, 0, false
}

// setSeconds shows the countdown.
func (i *selfIdle) setSeconds(n int) {
	i.left.SetText(lang.L("self.countdown", map[string]any{"Seconds": n}))
}

// limit is the sentence of the first screen that states the limit (UX.md,
// after WCAG 2.2.6).
func (i *selfIdle) limit() string {
	return lang.L("self.limit", map[string]any{"Quiet": int(i.quiet.Seconds()), "Warn": int(i.warn.Seconds())})
}
