package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

// screenUSB is the supervisor's "USB ile aktar", reached from the sync
// screen.
const screenUSB = "usb"

// usbTimeout bounds one export or receipt: a full bundle to a slow stick
// takes minutes, not the seconds of a screen's other work.
const usbTimeout = 30 * time.Minute

// usbScreen writes the pending records to a USB stick as a signed, sealed
// bundle, and applies the central's receipt from one. The sticks are the
// removable media the file picker finds (fileRoots); the files are
// written atomically by the service, so a stick pulled out halfway holds
// nothing half-written.
type usbScreen struct {
	h        host
	usb      app.USBTransfer // nil: the terminal has no USB transfer
	sync     SyncControl     // nil when the terminal runs without a central
	cfg      *config.Config
	state    *widget.Label
	media    *widget.Select
	roots    []fileRoot
	receipts *widget.Select
	files    []string // the receipt files on the chosen medium, newest first
	progress *widget.ProgressBar
	export   *widget.Button
	apply    *widget.Button
	info     *widget.Label
	errs     *widget.Label
	obj      fyne.CanvasObject
}

func newUSBScreen(h host, usb app.USBTransfer, sync SyncControl, cfg *config.Config) *usbScreen {
	s := &usbScreen{h: h, usb: usb, sync: sync, cfg: cfg}
	t := h.texts()
	s.state = &widget.Label{Wrapping: fyne.TextWrapWord, TextStyle: fyne.TextStyle{Bold: true}}
	s.media = &widget.Select{OnChanged: func(string) { s.onPickMedium() }}
	s.receipts = &widget.Select{}
	t.add(func() {
		s.media.PlaceHolder = lang.L("usb.media.placeholder")
		s.receipts.PlaceHolder = lang.L("usb.receipts.placeholder")
		s.media.Refresh()
		s.receipts.Refresh()
	})
	s.progress = &widget.ProgressBar{}
	s.progress.Hide()
	s.export = t.primary("usb.export", s.onExport)
	s.apply = t.button("usb.apply", s.onApply)
	s.info, s.errs = infoLabel(), errorLabel()
	body := container.NewVBox(t.label("usb.explain"), s.state, s.info, s.errs,
		t.heading("usb.media"), container.NewBorder(nil, nil, nil, t.button("sync.refresh", s.refresh), s.media),
		container.NewHBox(s.export), s.progress, widget.NewSeparator(),
		t.heading("usb.receipts"), s.receipts, container.NewHBox(s.apply))
	s.obj = page(t.heading("usb.title"), body, t.button("usb.back", func() { h.show(screenSync) }),
		t.button("common.home", func() { h.show(screenHome) }))
	return s
}

func (s *usbScreen) root() fyne.CanvasObject { return s.obj }

func (s *usbScreen) reset() {
	s.roots, s.files = nil, nil
	s.media.Options, s.receipts.Options = nil, nil
	s.media.ClearSelected()
	s.receipts.ClearSelected()
	s.progress.Hide()
	s.state.SetText("")
	s.info.SetText("")
	s.errs.SetText("")
	s.busy(false)
}

// open shows the screen afresh: the media and the counts read again. A
// clerk is told that a supervisor does this (the service refuses anyway).
func (s *usbScreen) open() {
	s.h.touch()
	s.reset()
	s.refresh()
	if !may(s.h, app.RoleSupervisor, app.RoleAdmin) {
		s.busy(true)
		s.errs.SetText(lang.L("usb.supervisor"))
	}
	s.h.show(screenUSB)
}

// refresh lists the media and reads the counts.
func (s *usbScreen) refresh() {
	s.roots = removableRoots(s.cfg.Files.Removable)
	s.media.Options = make([]string, len(s.roots))
	for i, r := range s.roots {
		s.media.Options[i] = r.Name + " (" + r.Path + ")"
	}
	s.media.ClearSelected()
	if len(s.roots) == 1 {
		s.media.SetSelectedIndex(0)
	}
	s.media.Refresh()
	if len(s.roots) == 0 {
		s.info.SetText(lang.L("usb.media.none"))
	}
	s.readCounts()
}

// readCounts shows how many records wait and how many of them are on a
// stick already.
func (s *usbScreen) readCounts() {
	usb, sync := s.usb, s.sync
	var v SyncView
	var onUSB int
	s.h.run(func(ctx context.Context) (err error) {
		if sync != nil {
			if v, err = sync.View(ctx); err != nil {
				return err
			}
		}
		if usb != nil {
			onUSB, err = usb.OnUSB(ctx)
		}
		return err
	}, func(err error) {
		if err != nil { // and leave a transfer's refusal standing otherwise
			setError(s.errs, err)
			return
		}
		s.state.SetText(lang.L("usb.state", map[string]any{"Pending": v.Pending, "OnUSB": onUSB}))
	})
}

// removableRoots are the media the file picker would show, without the
// scan folder.
func removableRoots(bases []string) []fileRoot {
	var out []fileRoot
	for _, r := range fileRoots(config.Files{Removable: bases}) {
		if r.Name != "" {
			out = append(out, r)
		}
	}
	return out
}

// chosen returns the medium picked, or nil.
func (s *usbScreen) chosen() *fileRoot {
	if i := s.media.SelectedIndex(); i >= 0 && i < len(s.roots) {
		return &s.roots[i]
	}
	return nil
}

// onPickMedium lists the receipts on the medium, newest first.
func (s *usbScreen) onPickMedium() {
	s.files, s.receipts.Options = nil, nil
	s.receipts.ClearSelected()
	if r := s.chosen(); r != nil {
		s.files = receiptFiles(r.Path)
	}
	for _, f := range s.files {
		s.receipts.Options = append(s.receipts.Options, filepath.Base(f))
	}
	if len(s.files) > 0 {
		s.receipts.SetSelectedIndex(0)
	}
	s.receipts.Refresh()
}

// receiptFiles lists the receipt files in dir, newest first.
func receiptFiles(dir string) []string {
	entries, _ := os.ReadDir(dir)
	type f struct {
		path string
		mod  time.Time
	}
	var list []f
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && strings.HasPrefix(name, "yanit-") && strings.HasSuffix(name, ".gise") {
			if info, err := e.Info(); err == nil {
				list = append(list, f{filepath.Join(dir, name), info.ModTime()})
			}
		}
	}
	slices.SortFunc(list, func(a, b f) int { return b.mod.Compare(a.mod) })
	out := make([]string, len(list))
	for i, x := range list {
		out[i] = x.path
	}
	return out
}

// busy turns the buttons off while a transfer runs: a second tap is
// ignored.
func (s *usbScreen) busy(on bool) {
	for _, b := range []*widget.Button{s.export, s.apply} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
}

// onExport writes the pending records to the chosen stick.
func (s *usbScreen) onExport() {
	s.h.touch()
	s.info.SetText("")
	r := s.chosen()
	if r == nil {
		s.errs.SetText(lang.L("usb.pick.medium"))
		return
	}
	usb, actor, dir := s.usb, s.actor(), r.Path
	var out []app.ExportedBundle
	s.start(lang.L("usb.writing"))
	s.h.run(func(ctx context.Context) (err error) {
		if usb == nil {
			return app.Errorf(app.EINVALID, "Bu terminal USB aktarımı için merkeze tanıtılmadı. Ağ varken gise enrol ile terminali yeniden kaydedin.")
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), usbTimeout)
		defer cancel()
		out, err = usb.Export(ctx, actor, dir, s.onProgress)
		return err
	}, func(err error) {
		s.finish(err)
		if err == nil {
			records := 0
			for _, b := range out {
				records += len(b.Records)
			}
			s.info.SetText(lang.L("usb.exported", map[string]any{"Files": len(out), "Records": records}))
		}
		s.readCounts()
	})
}

// onProgress shows how far an export is; called off the UI goroutine.
func (s *usbScreen) onProgress(done, total int) {
	fyne.Do(func() {
		if total > 0 {
			s.progress.SetValue(float64(done) / float64(total))
		}
		s.info.SetText(lang.L("usb.progress", map[string]any{"Done": done, "Total": total}))
	})
}

// onApply applies the chosen receipt file.
func (s *usbScreen) onApply() {
	s.h.touch()
	s.info.SetText("")
	i := s.receipts.SelectedIndex()
	if i < 0 || i >= len(s.files) {
		s.errs.SetText(lang.L("usb.pick.receipt"))
		return
	}
	usb, actor, path := s.usb, s.actor(), s.files[i]
	var out app.ReceiptOutcome
	s.start("")
	s.h.run(func(ctx context.Context) (err error) {
		if usb == nil {
			return app.Errorf(app.EINVALID, "Bu terminal USB aktarımı için merkeze tanıtılmadı. Ağ varken gise enrol ile terminali yeniden kaydedin.")
		}
		out, err = usb.ApplyReceipt(context.WithoutCancel(ctx), actor, path)
		return err
	}, func(err error) {
		s.finish(err)
		if err == nil {
			s.info.SetText(receiptText(out))
		}
		s.readCounts()
	})
}

func receiptText(o app.ReceiptOutcome) string {
	text := lang.L("usb.applied", map[string]any{"Delivered": o.Delivered, "Conflict": o.Conflict,
		"Rejected": o.Rejected, "Unanswered": o.Unanswered, "Updates": o.UpdatesApplied})
	if o.UpdatesSkipped {
		text += " " + lang.L("usb.applied.online")
	}
	return text
}

// start shows a transfer under way.
func (s *usbScreen) start(note string) {
	s.errs.SetText("")
	s.busy(true)
	s.progress.SetValue(0)
	s.progress.Show()
	s.info.SetText(note)
}

// finish ends a transfer on the screen.
func (s *usbScreen) finish(err error) {
	s.busy(false)
	s.progress.Hide()
	setError(s.errs, err)
}

// actor is who the transfer is audited as.
func (s *usbScreen) actor() app.Actor {
	sess := s.h.session()
	if sess == nil {
		return app.Actor{}
	}
	return sess.Actor()
}
