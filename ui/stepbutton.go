package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// stepButton is a self-service button: at least 72 px tall (a 20 mm
// target at 15″ 1024×768), and a double tap counts once (UX.md, after
// GOV.UK's "double clicks"). Being DoubleTappable makes Fyne's driver wait
// for a second tap and deliver the pair as one DoubleTapped, which does
// what one tap does: the second tap of a hurried finger cannot land on the
// next screen's button.
type stepButton struct {
	widget.Button
	minWidth float32
}

// large returns a step button labelled with the translation of key,
// relabelled on a language switch; primary is the screen's one main action.
func (t *texts) large(key string, primary bool, tapped func()) *stepButton {
	b := &stepButton{minWidth: selfTouch}
	b.Text, b.OnTapped = lang.L(key), tapped
	if primary {
		b.Importance, b.minWidth = widget.HighImportance, 260
	}
	b.ExtendBaseWidget(b)
	t.later(func() { b.SetText(lang.L(key)) })
	return b
}

// DoubleTapped implements fyne.DoubleTappable: a double tap is one tap.
func (b *stepButton) DoubleTapped(e *fyne.PointEvent) { b.Tapped(e) }

// MinSize keeps the button a finger's target.
func (b *stepButton) MinSize() fyne.Size {
	return b.Button.MinSize().Max(fyne.NewSize(b.minWidth, selfTouch))
}
