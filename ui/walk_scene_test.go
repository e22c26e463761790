package ui

import (
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// rect is an area of the window in Fyne units, [x0,x1)×[y0,y1).
type rect struct{ x0, y0, x1, y1 float32 }

func rectAt(p fyne.Position, s fyne.Size) rect { return rect{p.X, p.Y, p.X + s.Width, p.Y + s.Height} }

func (r rect) empty() bool { return r.x1-r.x0 <= 0.5 || r.y1-r.y0 <= 0.5 }
func (r rect) w() float32  { return r.x1 - r.x0 }
func (r rect) h() float32  { return r.y1 - r.y0 }

func (r rect) and(o rect) rect {
	return rect{max(r.x0, o.x0), max(r.y0, o.y0), min(r.x1, o.x1), min(r.y1, o.y1)}
}

// holds reports whether o lies inside r, give or take a pixel of rounding.
func (r rect) holds(o rect) bool {
	return o.x0 >= r.x0-1 && o.y0 >= r.y0-1 && o.x1 <= r.x1+1 && o.y1 <= r.y1+1
}

func (r rect) String() string { return fmt.Sprintf("(%.0f,%.0f %.0f×%.0f)", r.x0, r.y0, r.w(), r.h()) }

// node is one drawn object of the canvas with where it lands: its absolute
// box, the clip a window really applies (every scroll ancestor intersected,
// as Fyne's GL painter does, and the window), and the clip Fyne's software
// painter applies (the nearest scroll only), which is what the PNGs show.
type node struct {
	obj    fyne.CanvasObject
	parent *node
	box    rect
	clip   rect
	swClip rect
	// clipper is the nearest scroll (or clipping widget) above, nil for the
	// window.
	clipper fyne.CanvasObject
	order   int // paint order: later nodes are drawn over earlier ones
	layer   int // 0 the window's content, 1… its overlays
}

// scene is the canvas flattened into nodes in paint order.
type scene struct {
	nodes  []*node
	byObj  map[fyne.CanvasObject]*node
	window rect
	// overlay is the area covered by the top overlay (pop-up, dialog),
	// empty without one.
	overlay rect
	txt     []*node // texts(), computed once
}

func newScene(c fyne.Canvas) *scene {
	frame(c)
	s := &scene{byObj: map[fyne.CanvasObject]*node{}, window: rectAt(fyne.NewPos(0, 0), c.Size())}
	s.add(c.Content(), nil, fyne.NewPos(0, 0), s.window, s.window, nil, 0)
	for i, o := range c.Overlays().List() {
		s.add(o, nil, fyne.NewPos(0, 0), s.window, s.window, nil, i+1)
		s.overlay = s.byObj[o].box.and(s.window)
	}
	return s
}

func (s *scene) add(o fyne.CanvasObject, parent *node, offset fyne.Position, clip, swClip rect, clipper fyne.CanvasObject, layer int) {
	if o == nil || !o.Visible() {
		return
	}
	pos := o.Position().Add(offset)
	n := &node{obj: o, parent: parent, box: rectAt(pos, o.Size()), clip: clip, swClip: swClip, clipper: clipper,
		order: len(s.nodes), layer: layer}
	s.nodes = append(s.nodes, n)
	if _, seen := s.byObj[o]; !seen {
		s.byObj[o] = n
	}
	var children []fyne.CanvasObject
	switch co := o.(type) {
	case *fyne.Container:
		children = co.Objects
	case fyne.Widget:
		children = test.WidgetRenderer(co).Objects()
	}
	if isClip(o) {
		clip, swClip, clipper = clip.and(n.box), n.box, o
	}
	for _, c := range children {
		s.add(c, n, pos, clip, swClip, clipper, layer)
	}
}

func isClip(o fyne.CanvasObject) bool {
	if _, ok := o.(fyne.Scrollable); ok {
		return true
	}
	w, ok := o.(fyne.Widget)
	if !ok {
		return false
	}
	_, clip := test.WidgetRenderer(w).(interface{ IsClip() })
	return clip
}

// textBox is where a canvas.Text's glyphs land (its natural size, aligned
// in its box as the painters align it), which may be wider than its box.
func textBox(n *node) rect {
	t := n.obj.(*canvas.Text)
	ms := t.MinSize()
	x, y := n.box.x0, n.box.y0
	switch t.Alignment {
	case fyne.TextAlignTrailing:
		x += n.box.w() - ms.Width
	case fyne.TextAlignCenter:
		x += (n.box.w() - ms.Width) / 2
	}
	if n.box.h() > ms.Height {
		y += (n.box.h() - ms.Height) / 2
	}
	return rect{x, y, x + ms.Width, y + ms.Height}
}

// texts returns the visible, non-blank canvas.Text nodes.
func (s *scene) texts() []*node {
	if s.txt != nil {
		return s.txt
	}
	out := []*node{}
	for _, n := range s.nodes {
		if t, ok := n.obj.(*canvas.Text); ok && strings.TrimSpace(t.Text) != "" && t.TextSize > 0 && !s.hidden(n) {
			out = append(out, n)
		}
	}
	s.txt = out
	return out
}

// hidden reports whether n is in the window's content under an overlay
// (a pop-up or a dialog covers it), or transparent.
func (s *scene) hidden(n *node) bool {
	if t, ok := n.obj.(*canvas.Text); ok && isTransparent(t.Color) {
		return true
	}
	return n.layer == 0 && !s.overlay.empty() && s.overlay.holds(n.box.and(n.clip))
}

func isTransparent(c color.Color) bool {
	if c == nil {
		return false
	}
	_, _, _, a := c.RGBA()
	return a == 0
}

// ancestor returns the nearest node above n (n included) whose object
// satisfies is.
func (n *node) ancestor(is func(fyne.CanvasObject) bool) *node {
	for p := n; p != nil; p = p.parent {
		if is(p.obj) {
			return p
		}
	}
	return nil
}

func (n *node) within(o fyne.CanvasObject) bool {
	return n.ancestor(func(x fyne.CanvasObject) bool { return x == o }) != nil
}

// scrolledAway reports whether every part of box that n's clips cut off
// is cut by a scroll a person moves on purpose: a scroll whose content is
// longer than its viewport in the direction of the cut. A cut by the
// window, or by a scroll that cannot scroll that way, is a clipped text.
func scrolledAway(n *node, box rect) bool {
	for p := n.parent; p != nil; p = p.parent {
		if !isClip(p.obj) || p.box.holds(box) {
			continue
		}
		sc, ok := p.obj.(*container.Scroll)
		if !ok || sc.Content == nil {
			return false
		}
		cs := sc.Content.Size()
		vertical := box.y0 < p.box.y0-1 || box.y1 > p.box.y1+1
		horizontal := box.x0 < p.box.x0-1 || box.x1 > p.box.x1+1
		canV := sc.Direction != fyne.ScrollHorizontalOnly && sc.Direction != fyne.ScrollNone && cs.Height > sc.Size().Height+1
		canH := sc.Direction != fyne.ScrollVerticalOnly && sc.Direction != fyne.ScrollNone && cs.Width > sc.Size().Width+1
		if vertical && !canV || horizontal && !canH {
			return false
		}
	}
	return true
}

// opaque reports whether o, drawn over something, hides it from a person.
func opaque(o fyne.CanvasObject) bool {
	switch x := o.(type) {
	case *canvas.Rectangle:
		return x.FillColor != nil && !isTransparent(x.FillColor)
	case *canvas.Text:
		return false
	case *widget.Button, *key, *widget.Select, *widget.Entry, *entry:
		return true
	}
	return false
}

// chrome is what Fyne draws over content on purpose: scroll bars and the
// shadows at a scroll's edge.
func chrome(n *node) bool {
	for p := n; p != nil; p = p.parent {
		name := fmt.Sprintf("%T", p.obj)
		if strings.Contains(name, "scrollBar") || strings.Contains(name, "Shadow") || strings.Contains(name, "shadow") {
			return true
		}
	}
	return false
}
