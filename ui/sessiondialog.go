package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// sessionDialog is the counter's warning before an idle session locks:
// "Oturumunuz kapanmak üzere" with the seconds left, "Oturumu açık tut"
// (the primary, focused; Enter, Space or Esc) and "Çıkış yap". Staying
// gives the focus back to the field the clerk was in; the half-typed form
// survives the lock either way (UX.md, Timeouts: HMRC timeout dialog,
// WCAG 2.2.1 and 2.2.5).
type sessionDialog struct {
	h     host
	title *widget.Label
	left  *widget.Label
	stay  *stayButton
	leave *widget.Button
	pop   *widget.PopUp
	back  fyne.Focusable // focused before the dialog came up
	keep  func()         // keeps the session open
	quit  func()         // logs out
}

func newSessionDialog(h host, keep, quit func()) *sessionDialog {
	d := &sessionDialog{h: h, keep: keep, quit: quit}
	t := h.texts()
	d.title = t.heading("session.warning.title")
	d.left = &widget.Label{Wrapping: fyne.TextWrapWord}
	d.stay = &stayButton{onEsc: d.onStay}
	d.stay.Text, d.stay.OnTapped, d.stay.Importance = lang.L("session.warning.stay"), d.onStay, widget.HighImportance
	d.stay.ExtendBaseWidget(d.stay)
	t.later(func() { d.stay.SetText(lang.L("session.warning.stay")) })
	d.leave = t.button("session.warning.logout", d.onLeave)
	return d
}

// show puts the dialog up, or updates its countdown when it is up.
func (d *sessionDialog) show(seconds int) {
	d.left.SetText(lang.L("session.warning.left", map[string]any{"Seconds": max(seconds, 0)}))
	if d.pop != nil && d.pop.Visible() {
		return
	}
	c := d.h.canvas()
	d.back = c.Focused()
	if d.pop == nil {
		box := container.NewVBox(d.title, d.left, container.NewHBox(d.stay, d.leave))
		d.pop = widget.NewModalPopUp(container.NewPadded(box), c)
	}
	d.pop.Show()
	d.layout(c.Size())
	c.Focus(d.stay)
}

// layout sizes the dialog to 480 wide (less in a narrow window) and as
// tall as its wrapped text then needs; a modal pop-up centres it.
func (d *sessionDialog) layout(win fyne.Size) {
	w := fyne.Min(fyne.Max(d.pop.Content.MinSize().Width, 480), win.Width-32)
	d.pop.Resize(fyne.NewSize(w, d.pop.Content.MinSize().Height))
	d.pop.Resize(fyne.NewSize(w, d.pop.Content.MinSize().Height)) // the text wrapped at w
}

// up reports whether the dialog shows.
func (d *sessionDialog) up() bool { return d.pop != nil && d.pop.Visible() }

// hide takes the dialog down, the focus back where it was.
func (d *sessionDialog) hide() {
	if !d.up() {
		return
	}
	d.pop.Hide()
	if d.back != nil {
		d.h.canvas().Focus(d.back)
	}
	d.back = nil
}

func (d *sessionDialog) onStay() {
	d.keep()
	d.hide()
}

func (d *sessionDialog) onLeave() {
	d.back = nil
	d.hide()
	d.quit()
}

// stayButton is "Oturumu açık tut": Esc on it stays too, as the dialog's
// cancel.
type stayButton struct {
	widget.Button
	onEsc func()
}

func (b *stayButton) TypedKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyEscape {
		b.onEsc()
		return
	}
	b.Button.TypedKey(e)
}
