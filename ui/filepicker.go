package ui

import (
	"context"
	"fmt"
	"image"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app/config"
)

// screenFiles is the file picker's screen.
const screenFiles = "files"

// filePicker is the counter's own file picker: Turkish, large, and limited
// to the scan folder and removable media. Each file shows with a thumbnail
// (a picture's own, a PDF's sign), its size and when it was made, the
// newest first; a file that cannot be attached gets a sentence naming it.
type filePicker struct {
	h       host
	cfg     *config.Config // live: the admin may change the folders
	roots   []fileRoot
	dir     string
	places  *fyne.Container
	where   *widget.Label
	up      *widget.Button
	list    *fyne.Container
	scroll  *container.Scroll
	errs    *widget.Label
	back    string // the screen to return to
	attach  attachFile
	entries []fileEntry
	obj     fyne.CanvasObject
}

// attachFile adds a file picked, name and contents, to the screen that
// opened the picker, and calls done with the outcome (nil: the picker
// closes).
type attachFile func(name string, data []byte, done func(error))

func newFilePicker(h host, cfg *config.Config) *filePicker {
	p := &filePicker{h: h, cfg: cfg, places: container.NewHBox(), list: container.NewVBox()}
	t := h.texts()
	p.where = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	p.up = t.button("files.up", p.onUp)
	p.errs = errorLabel()
	p.scroll = vscroll(p.list)
	top := column(t.label("files.explain"), p.places, container.NewBorder(nil, nil, nil, p.up, p.where), p.errs)
	p.obj = fixedPage(t.heading("files.title"), container.NewBorder(top, nil, nil, nil, p.scroll),
		t.button("files.refresh", p.refresh), t.button("common.cancel", p.onCancel))
	return p
}

func (p *filePicker) root() fyne.CanvasObject { return p.obj }

func (p *filePicker) reset() {
	p.dir, p.roots, p.entries, p.attach = "", nil, nil, nil
	p.list.Objects = nil
	p.errs.SetText("")
}

// open shows the picker over the screen back; attach adds a picked file.
func (p *filePicker) open(back string, attach attachFile) {
	p.reset()
	p.back, p.attach = back, attach
	p.roots = fileRoots(p.cfg.Files)
	p.places.Objects = nil
	for _, r := range p.roots {
		p.places.Add(&widget.Button{Text: rootName(r), Icon: theme.FolderIcon(), OnTapped: func() { p.show(r.Path) }})
	}
	p.h.show(screenFiles)
	if len(p.roots) == 0 {
		p.where.SetText("")
		p.up.Hide()
		p.errs.SetText(lang.L("files.none"))
		return
	}
	p.show(p.roots[0].Path)
}

// show lists dir, off the UI goroutine (a USB stick may be slow).
func (p *filePicker) show(dir string) {
	p.h.touch()
	p.errs.SetText("")
	roots := p.roots
	var entries []fileEntry
	thumbs := map[string]image.Image{}
	p.h.run(func(context.Context) (err error) {
		if entries, err = listFolder(roots, dir); err != nil {
			return err
		}
		for i, e := range entries {
			if i < 60 && !e.Dir {
				thumbs[e.Path] = thumbnail(e.Path, 96)
			}
		}
		return nil
	}, func(err error) {
		if err != nil {
			setError(p.errs, err)
			return
		}
		p.dir, p.entries = dir, entries
		p.fill(thumbs)
	})
}

// fill lays out one row a folder or file.
func (p *filePicker) fill(thumbs map[string]image.Image) {
	p.where.SetText(p.placeName())
	p.up.Hidden = p.atRoot()
	p.list.Objects = nil
	if len(p.entries) == 0 {
		p.list.Add(p.h.texts().label("files.empty"))
	}
	for _, e := range p.entries {
		p.list.Add(p.row(e, thumbs[e.Path]))
	}
	p.scroll.ScrollToTop()
	p.obj.Refresh()
}

func (p *filePicker) row(e fileEntry, thumb image.Image) fyne.CanvasObject {
	var pic fyne.CanvasObject
	switch {
	case e.Dir:
		pic = widget.NewIcon(theme.FolderIcon())
	case thumb != nil:
		img := canvas.NewImageFromImage(thumb)
		img.FillMode = canvas.ImageFillContain
		pic = img
	default:
		pic = widget.NewIcon(theme.DocumentIcon())
	}
	box := container.NewGridWrap(fyne.NewSize(96, 96), pic)
	name := &widget.Label{Text: e.Name, TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis}
	var info string
	var act *widget.Button
	if e.Dir {
		info = lang.L("files.folder")
		act = &widget.Button{Text: lang.L("files.open"), OnTapped: func() { p.show(e.Path) }}
	} else {
		info = fmt.Sprintf("%s · %s", formatSize(e.Size), formatTime(e.Modified))
		act = &widget.Button{Text: lang.L("files.add"), Importance: widget.HighImportance, OnTapped: func() { p.onAdd(e) }}
	}
	return container.NewBorder(nil, nil, box, container.NewCenter(act), container.NewVBox(name, widget.NewLabel(info)))
}

// onAdd reads the file and hands it to the screen that opened the picker.
func (p *filePicker) onAdd(e fileEntry) {
	p.h.touch()
	p.errs.SetText("")
	roots := p.roots
	var data []byte
	p.h.run(func(context.Context) (err error) {
		data, err = readAttachable(roots, e.Path)
		return err
	}, func(err error) {
		if err != nil {
			p.errs.SetText(lang.L("files.bad", map[string]any{"Name": e.Name, "Why": message(err)}))
			return
		}
		p.attach(e.Name, data, func(err error) {
			if err != nil {
				p.errs.SetText(lang.L("files.bad", map[string]any{"Name": e.Name, "Why": message(err)}))
				return
			}
			p.h.show(p.back)
		})
	})
}

func (p *filePicker) onUp() {
	if !p.atRoot() {
		p.show(filepath.Dir(p.dir))
	}
}

func (p *filePicker) onCancel() { p.h.show(p.back) }

func (p *filePicker) refresh() {
	if p.dir != "" {
		p.show(p.dir)
	}
}

func (p *filePicker) atRoot() bool {
	for _, r := range p.roots {
		if p.dir == r.Path {
			return true
		}
	}
	return p.dir == ""
}

// placeName is the folder shown, from its root: "Taramalar › Ekim".
func (p *filePicker) placeName() string {
	for _, r := range p.roots {
		if rel, err := filepath.Rel(r.Path, p.dir); err == nil && !strings.HasPrefix(rel, "..") {
			if rel == "." {
				return rootName(r)
			}
			return rootName(r) + " › " + strings.ReplaceAll(rel, string(filepath.Separator), " › ")
		}
	}
	return p.dir
}

// rootName is what the clerk calls a root: the scan folder, or a stick's
// label.
func rootName(r fileRoot) string {
	if r.Name == "" {
		return lang.L("files.scans")
	}
	return r.Name
}

// formatSize writes a file size the Turkish way: "850 KB", "1,2 MB".
func formatSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+1023)/1024)
	default:
		s := fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
		if current == "tr" {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
}
