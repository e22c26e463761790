package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// selfChoice is a one-of-many answer as large tiles, one tap each: a
// touch screen's replacement for a drop-down list, whose pop-up rows are
// too small for a finger. The chosen tile is filled, framed and marked
// "✓", not shown by colour alone. Long lists go in pages of perPage
// tiles, the last tile of a page leading to the next. The tiles are built
// once and relabelled, never rebuilt.
type selfChoice struct {
	options  []string
	selected int
	page     int
	tiles    []*choiceTile
	grid     *fyne.Container
	// OnChanged is called after a tap chose an option.
	OnChanged func(int)
}

func newSelfChoice(columns, perPage int) *selfChoice {
	c := &selfChoice{selected: -1}
	objs := make([]fyne.CanvasObject, perPage)
	for i := range perPage {
		t := newChoiceTile(func() { c.onTile(i) })
		c.tiles = append(c.tiles, t)
		objs[i] = t
	}
	c.grid = container.NewGridWithColumns(columns, objs...)
	c.render()
	return c
}

// SetOptions replaces the options and clears the choice.
func (c *selfChoice) SetOptions(options []string) {
	c.options, c.selected, c.page = options, -1, 0
	c.render()
}

// Relabel changes the options' texts (after a language switch) and keeps
// the choice.
func (c *selfChoice) Relabel(options []string) {
	c.options = options
	c.render()
}

// Selected is the index chosen, -1 for none.
func (c *selfChoice) Selected() int { return c.selected }

// SelectedText is the option chosen, "" for none.
func (c *selfChoice) SelectedText() string {
	if c.selected < 0 || c.selected >= len(c.options) {
		return ""
	}
	return c.options[c.selected]
}

// Clear forgets the choice and returns to the first page.
func (c *selfChoice) Clear() {
	c.selected, c.page = -1, 0
	c.render()
}

// Select chooses option i, as a tap on its tile would.
func (c *selfChoice) Select(i int) {
	c.selected = i
	c.page = i / c.pageSize()
	c.render()
	if c.OnChanged != nil {
		c.OnChanged(i)
	}
}

// paged reports whether the options need more than one page.
func (c *selfChoice) paged() bool { return len(c.options) > len(c.tiles) }

// pageSize is how many options a page shows: one tile less when paged.
func (c *selfChoice) pageSize() int {
	if c.paged() {
		return len(c.tiles) - 1
	}
	return len(c.tiles)
}

// option is the index of the option tile i shows on this page, -1 for
// the next-page tile and -2 for none.
func (c *selfChoice) option(i int) int {
	if c.paged() && i == len(c.tiles)-1 {
		return -1
	}
	if o := c.page*c.pageSize() + i; o < len(c.options) {
		return o
	}
	return -2
}

func (c *selfChoice) onTile(i int) {
	switch o := c.option(i); o {
	case -1:
		c.page = (c.page + 1) % ((len(c.options) + c.pageSize() - 1) / c.pageSize())
		c.render()
	case -2:
	default:
		c.Select(o)
	}
}

func (c *selfChoice) render() {
	for i, t := range c.tiles {
		switch o := c.option(i); o {
		case -1:
			t.set(lang.L("self.more"), false)
		case -2:
			t.Hide()
		default:
			t.set(c.options[o], o == c.selected)
		}
	}
}

// choiceTile is one tile: a framed rectangle and a wrapped label.
type choiceTile struct {
	widget.BaseWidget
	selected bool
	bg       *canvas.Rectangle
	label    *widget.Label
	onTap    func()
}

func newChoiceTile(onTap func()) *choiceTile {
	t := &choiceTile{onTap: onTap, bg: canvas.NewRectangle(nil)}
	t.bg.CornerRadius = 6
	t.label = &widget.Label{Wrapping: fyne.TextWrapWord, Alignment: fyne.TextAlignCenter}
	t.ExtendBaseWidget(t)
	return t
}

// set shows text, chosen or not.
func (t *choiceTile) set(text string, selected bool) {
	t.selected = selected
	if selected {
		text = "✓ " + text
	}
	t.label.Text = text
	t.label.TextStyle = fyne.TextStyle{Bold: selected}
	t.Show()
	t.Refresh()
}

// Tapped implements fyne.Tappable.
func (t *choiceTile) Tapped(*fyne.PointEvent) { t.onTap() }

// CreateRenderer implements fyne.Widget.
func (t *choiceTile) CreateRenderer() fyne.WidgetRenderer {
	r := &choiceRenderer{t: t}
	r.Refresh()
	return r
}

type choiceRenderer struct{ t *choiceTile }

func (r *choiceRenderer) Layout(s fyne.Size) {
	r.t.bg.Resize(s.SubtractWidthHeight(6, 6))
	r.t.bg.Move(fyne.NewPos(3, 3))
	r.t.label.Resize(fyne.NewSize(s.Width-12, s.Height))
	h := min(r.t.label.MinSize().Height, s.Height)
	r.t.label.Resize(fyne.NewSize(s.Width-12, h))
	r.t.label.Move(fyne.NewPos(6, (s.Height-h)/2))
}

// MinSize: a 20 mm target.
func (r *choiceRenderer) MinSize() fyne.Size { return fyne.NewSize(selfTouch*2, selfTouch) }

func (r *choiceRenderer) Refresh() {
	bg := r.t.bg
	if r.t.selected {
		bg.FillColor, bg.StrokeColor, bg.StrokeWidth = theme.Color(theme.ColorNameSelection), theme.Color(theme.ColorNamePrimary), 4
	} else {
		bg.FillColor, bg.StrokeColor, bg.StrokeWidth = theme.Color(theme.ColorNameInputBackground), theme.Color(theme.ColorNameInputBorder), 2
	}
	bg.Refresh()
	r.t.label.Refresh()
	r.Layout(r.t.Size())
}

func (r *choiceRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.t.bg, r.t.label}
}
func (r *choiceRenderer) Destroy() {}
