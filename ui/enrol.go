package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/auth"
)

// enrolPanel shows a new authenticator secret as a QR code and as text, and
// takes the first code that confirms it. Setup and login both use it.
type enrolPanel struct {
	h      host
	qr     *canvas.Image
	secret *widget.Label
	code   *entry
	box    *fyne.Container
}

func newEnrolPanel(h host) *enrolPanel {
	p := &enrolPanel{h: h}
	t := h.texts()
	p.qr = &canvas.Image{FillMode: canvas.ImageFillContain}
	p.qr.SetMinSize(fyne.NewSize(220, 220))
	p.secret = &widget.Label{TextStyle: fyne.TextStyle{Monospace: true}, Selectable: true}
	p.code = t.entry("enrol.code.placeholder")
	copyBtn := t.button("enrol.copy", p.onCopy)
	p.box = container.NewVBox(t.label("enrol.explain"), container.NewCenter(p.qr),
		t.label("enrol.secret"), container.NewHBox(p.secret, copyBtn),
		&widget.Form{Items: []*widget.FormItem{t.formItem("enrol.code", p.code)}})
	return p
}

// set shows a new enrolment.
func (p *enrolPanel) set(e *auth.Enrolment) {
	p.qr.Resource = fyne.NewStaticResource("totp.png", e.QRPNG)
	p.qr.Refresh()
	p.secret.SetText(e.Secret)
	p.code.SetText("")
}

// reset forgets the secret.
func (p *enrolPanel) reset() {
	p.qr.Resource = nil
	p.qr.Refresh()
	p.secret.SetText("")
	p.code.SetText("")
}

// onCopy puts the secret on the clipboard, for pasting into a password
// manager or an authenticator on the same desk.
func (p *enrolPanel) onCopy() {
	p.h.clipboard().SetContent(p.secret.Text)
	p.h.notify(lang.L("enrol.copied"))
}
