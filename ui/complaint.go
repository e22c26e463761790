package ui

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/paper"
)

// complaintScreen records a complaint or request that arrived on paper or
// at the counter, prints the receipt and shows the tracking code large.
type complaintScreen struct {
	k           *Kiosk
	citizen     *app.Citizen
	who         *widget.Label
	search      *entry
	found       *widget.Select
	hits        []*app.Citizen
	anonymous   *widget.Check
	kind        *widget.Select
	category    *widget.Select
	hood        *widget.Select
	cats        []app.Category
	hoods       []app.Neighbourhood
	description *entry
	address     *entry
	onPaper     *widget.Check
	paperRef    *entry
	paperDate   *entry
	attached    []app.Attachment
	files       *widget.Label
	scans       *scanPanel
	errs        *widget.Label
	save        *widget.Button
	code        *canvas.Text
	done        *widget.Label
	again       *widget.Button
	receipt     *printOutcome
	formBox     *fyne.Container
	resultBox   *fyne.Container
	obj         fyne.CanvasObject
}

func newComplaintScreen(k *Kiosk) *complaintScreen {
	s := &complaintScreen{k: k}
	t := k.t
	s.who = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	s.search = t.entry("complaint.search.placeholder")
	s.search.OnSubmitted = func(string) { s.onSearch() }
	s.found = &widget.Select{OnChanged: s.onPick}
	s.anonymous = t.check("complaint.anonymous", func(bool) { s.showWho() })
	s.kind, s.category, s.hood = &widget.Select{}, &widget.Select{}, &widget.Select{}
	t.add(func() {
		s.kind.Options = labels("kind.", app.Kinds)
		s.kind.PlaceHolder = lang.L("complaint.kind.placeholder")
		s.category.PlaceHolder = lang.L("complaint.category.placeholder")
		s.hood.PlaceHolder = lang.L("complaint.hood.placeholder")
		s.found.PlaceHolder = lang.L("complaint.found.placeholder")
		for _, w := range []*widget.Select{s.kind, s.category, s.hood, s.found} {
			w.Refresh()
		}
	})
	s.description = t.entry("complaint.description.placeholder")
	s.description.MultiLine, s.description.Wrapping = true, fyne.TextWrapWord
	s.description.SetMinRowsVisible(5)
	s.address = t.entry("complaint.address.placeholder")
	s.onPaper = t.check("complaint.onpaper", func(on bool) { s.paperRef.Hidden, s.paperDate.Hidden = !on, !on; s.obj.Refresh() })
	s.paperRef = t.entry("complaint.paperref.placeholder")
	s.paperDate = t.entry("complaint.paperdate.placeholder")
	s.files = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.scans = newScanPanel(k)
	s.errs = errorLabel()
	s.save = t.primary("complaint.save", s.onSave)
	s.code = bigText(56)
	s.done = infoLabel()
	find := container.NewVBox(s.who, container.NewBorder(nil, nil, nil, t.button("complaint.search", s.onSearch), s.search),
		s.found, s.anonymous)
	form := &widget.Form{Items: []*widget.FormItem{
		t.formItem("complaint.kind", s.kind), t.formItem("complaint.category", s.category),
		t.formItem("complaint.hood", s.hood), t.formItem("complaint.description", s.description),
		t.formItem("complaint.address", s.address), t.formItem("", s.onPaper),
		t.formItem("complaint.paperref", s.paperRef), t.formItem("complaint.paperdate", s.paperDate),
		t.formItem("complaint.files", container.NewVBox(s.files, container.NewHBox(
			t.button("complaint.attach", s.onAttach), t.button("complaint.detach", s.onDetach)))),
		t.formItem("scan.title", s.scans.root())}}
	s.formBox = container.NewVBox(find, widget.NewSeparator(), form)
	s.again = t.primary("complaint.again", s.onAgain)
	s.receipt = newPrintOutcome(k)
	s.resultBox = container.NewVBox(t.label("complaint.code"), s.code, s.done, s.receipt.root(), container.NewCenter(s.again))
	body := container.NewVBox(s.errs, container.NewStack(s.formBox, s.resultBox))
	s.obj = page(t.heading("complaint.title"), body, t.button("common.home", s.onHome), s.save)
	s.reset()
	return s
}

func (s *complaintScreen) root() fyne.CanvasObject { return s.obj }
func (s *complaintScreen) focus() {
	if s.citizen != nil {
		s.k.win.Canvas().Focus(s.kind)
	} else {
		s.k.win.Canvas().Focus(s.search)
	}
}

func (s *complaintScreen) reset() {
	s.citizen, s.hits, s.attached = nil, nil, nil
	s.search.SetText("")
	s.found.Options = nil
	s.found.ClearSelected()
	s.anonymous.SetChecked(false)
	for _, w := range []*widget.Select{s.kind, s.category, s.hood} {
		w.ClearSelected()
	}
	for _, e := range []*entry{s.description, s.address, s.paperRef, s.paperDate} {
		e.SetText("")
	}
	s.onPaper.SetChecked(true)
	s.files.SetText(lang.L("complaint.nofiles"))
	s.scans.reset()
	s.errs.SetText("")
	s.code.Text = ""
	s.code.Refresh()
	s.done.SetText("")
	s.receipt.reset()
	s.save.Enable()
	s.save.Show()
	s.formBox.Show()
	s.resultBox.Hide()
	s.showWho()
}

// begin starts a new complaint, for c when the clerk came from a citizen's page.
func (s *complaintScreen) begin(c *app.Citizen) {
	s.reset()
	s.citizen = c
	s.showWho()
	s.loadCatalog()
}

func (s *complaintScreen) showWho() {
	switch {
	case s.anonymous.Checked:
		s.who.SetText(lang.L("complaint.who.anonymous"))
	case s.citizen != nil:
		s.who.SetText(lang.L("complaint.who", map[string]any{"Name": s.citizen.DisplayName(), "ID": s.citizen.NationalID.Masked()}))
	default:
		s.who.SetText(lang.L("complaint.who.none"))
	}
}

func (s *complaintScreen) loadCatalog() {
	var cats []app.Category
	var hoods []app.Neighbourhood
	s.k.run(func(ctx context.Context) (err error) {
		if cats, err = s.k.svc.Catalog.Categories(ctx); err != nil {
			return err
		}
		hoods, err = s.k.svc.Catalog.Neighbourhoods(ctx)
		return err
	}, func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.cats, s.hoods = cats, hoods
		s.category.Options = make([]string, len(cats))
		for i, c := range cats {
			s.category.Options[i] = c.Group + " · " + c.Name
		}
		s.hood.Options = make([]string, len(hoods))
		for i, h := range hoods {
			s.hood.Options[i] = h.Name
		}
		s.category.Refresh()
		s.hood.Refresh()
	})
}

func (s *complaintScreen) onSearch() {
	s.k.touch()
	q, sess := s.search.Text, s.k.sess
	var hits []*app.Citizen
	s.k.run(func(ctx context.Context) (err error) {
		hits, err = s.k.svc.Counter.Find(ctx, sess, q)
		return err
	}, func(err error) {
		setError(s.errs, err)
		s.hits = hits
		s.found.Options = make([]string, len(hits))
		for i, c := range hits {
			s.found.Options[i] = c.DisplayName() + " · " + c.NationalID.Masked()
		}
		s.found.ClearSelected()
		if err == nil && len(hits) == 0 {
			s.errs.SetText(lang.L("complaint.search.none"))
		}
		if len(hits) == 1 {
			s.found.SetSelectedIndex(0)
		}
	})
}

func (s *complaintScreen) onPick(string) {
	if i := s.found.SelectedIndex(); i >= 0 && i < len(s.hits) {
		s.citizen = s.hits[i]
		s.anonymous.SetChecked(false)
		s.showWho()
	}
}

// complaint gathers the form into a complaint.
func (s *complaintScreen) complaint() (*app.Complaint, error) {
	c := &app.Complaint{Description: s.description.Text, Address: s.address.Text, Anonymous: s.anonymous.Checked,
		Attachments: s.attached, Channel: app.ChannelCounter}
	if s.citizen != nil && !c.Anonymous {
		c.CitizenID = s.citizen.ID
	}
	if i := s.kind.SelectedIndex(); i >= 0 {
		c.Kind = app.Kinds[i]
	}
	if i := s.category.SelectedIndex(); i >= 0 {
		c.CategoryCode = s.cats[i].Code
	}
	if i := s.hood.SelectedIndex(); i >= 0 {
		c.NeighbourhoodCode = s.hoods[i].Code
	}
	if s.onPaper.Checked {
		c.Channel, c.PaperRef = app.ChannelPaper, s.paperRef.Text
		if strings.TrimSpace(s.paperDate.Text) != "" {
			d, err := app.ParseDate("paper_date", s.paperDate.Text)
			if err != nil {
				return nil, err
			}
			c.PaperDate = d
		}
	}
	return c, nil
}

func (s *complaintScreen) onSave() {
	s.k.touch()
	s.errs.SetText("")
	c, err := s.complaint()
	if err != nil {
		setError(s.errs, err)
		return
	}
	sess, citizen := s.k.sess, s.citizen
	category := s.category.Selected
	scanned, ok := s.scans.forSave() // the scanned pages become one PDF attachment
	if !ok {
		s.errs.SetText(lang.L("scan.busy"))
		return
	}
	var pdf *app.Attachment
	s.save.Disable()
	s.k.run(func(ctx context.Context) (err error) {
		if pdf, err = scanned.attach(ctx, s.k.svc.Counter, sess); err != nil {
			return err
		}
		if pdf != nil {
			c.Attachments = append(slices.Clone(c.Attachments), *pdf)
		}
		return s.k.svc.Counter.FileComplaint(ctx, sess, c)
	}, func(err error) {
		s.scans.attached(scanned, pdf)
		if err != nil {
			s.save.Enable()
			setError(s.errs, err)
			s.k.notify(message(err)) // the form is long: the status line is always in view
			return
		}
		s.code.Text = c.TrackingCode.String()
		s.code.Refresh()
		s.done.SetText(lang.L("complaint.saved"))
		s.formBox.Hide()
		s.save.Hide()
		s.resultBox.Show()
		s.k.win.Canvas().Focus(s.again)
		s.printReceipt(complaintReceipt(c, citizen, category))
	})
}

// printReceipt prints the saved complaint's receipt beside its tracking
// code, and says there whether it came out. The record is saved whatever the
// printer does.
func (s *complaintScreen) printReceipt(r app.ReceiptRequest) {
	s.receipt.start(func(ctx context.Context, p *paper.Service) (*app.PrintJob, error) {
		return p.PrintReceipt(ctx, r)
	})
}

func (s *complaintScreen) onAttach() {
	s.k.touch()
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, app.MaxAttachmentSize+1))
		if err != nil {
			setError(s.errs, err)
			return
		}
		name, sess := r.URI().Name(), s.k.sess
		var a app.Attachment
		s.k.run(func(ctx context.Context) (err error) {
			a, err = s.k.svc.Counter.Attach(ctx, sess, name, data)
			return err
		}, func(err error) {
			if err != nil {
				setError(s.errs, err)
				return
			}
			s.attached = append(s.attached, a)
			s.listFiles()
		})
	}, s.k.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".jpg", ".jpeg", ".png", ".pdf", ".JPG", ".PNG", ".PDF"}))
	d.Show()
}

func (s *complaintScreen) onDetach() { s.attached = nil; s.listFiles() }

func (s *complaintScreen) listFiles() {
	if len(s.attached) == 0 {
		s.files.SetText(lang.L("complaint.nofiles"))
		return
	}
	var b strings.Builder
	for _, a := range s.attached {
		fmt.Fprintf(&b, "%s (%d KB)\n", a.Name, (a.Size+1023)/1024)
	}
	s.files.SetText(b.String())
}

func (s *complaintScreen) onHome() { s.reset(); s.k.show(screenHome) }

// onAgain starts another request for the same citizen.
func (s *complaintScreen) onAgain() { s.begin(s.citizen); s.focus() }
