package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/counter"
	"github.com/kocasinan/gise/app/paper"
)

// complaintScreen records a complaint or request that arrived on paper or
// at the counter. The form is rows that fit the window for a known citizen:
// who, what (kind, subject), where, the text, the paper's reference and the
// scans. Saving replaces the form with the result: the tracking code large,
// what was filed, what became of the receipt, and the next actions.
type complaintScreen struct {
	h       host
	counter *counter.Service
	catalog *catalog // the category and neighbourhood lists
	to      complaintMoves

	citizen     *app.Citizen
	who         *widget.Label
	change      *widget.Button // search for another citizen
	finder      *fyne.Container
	search      *entry
	found       *widget.Select
	hits        []*app.Citizen
	anonymous   *widget.Check
	kind        *widget.Select
	category    *widget.Select
	hood        *widget.Select
	description *entry
	address     *entry
	onPaper     *widget.Check
	paperRef    *entry
	paperDate   *entry
	paperRow    *fyne.Container
	attached    []app.Attachment
	files       *widget.Label
	scans       *scanPanel
	fields      []*field
	summary     *errorSummary
	errs        *widget.Label // what the search or the catalogue said
	save        *widget.Button
	saving      bool
	code        *canvas.Text
	done        *widget.Label
	filed       *widget.Label // what was filed, in a line
	again       *widget.Button
	toCitizen   *widget.Button
	receipt     *printOutcome
	formBox     fyne.CanvasObject
	resultBox   *fyne.Container
	obj         fyne.CanvasObject
}

// complaintMoves are where the complaint screen leads with what it holds.
type complaintMoves struct {
	citizen  openCitizen                       // the citizen's page
	pickFile func(back string, add attachFile) // the file picker, back to screen back
}

// newComplaintScreen builds the form; its scan panel scans with sc as cfg
// (the live settings) says, and p prints the receipt.
func newComplaintScreen(h host, c *counter.Service, store app.CatalogStore, sc app.Scanner, cfg *config.Config,
	p printing, to complaintMoves) *complaintScreen {
	s := &complaintScreen{h: h, counter: c, catalog: newCatalog(h, store, categoryByGroup), to: to}
	t := h.texts()
	s.buildInputs(sc, cfg)
	s.summary = newErrorSummary(h)
	s.errs = errorLabel()
	s.save = t.primary("complaint.save", s.onSave)
	s.formBox = vscroll(s.buildForm())
	s.summary.scroll = s.formBox.(*container.Scroll)
	s.resultBox = s.buildResult(p)
	s.obj = fixedPage(t.heading("complaint.title"), container.NewStack(s.formBox, s.resultBox),
		t.button("common.home", s.onHome), s.save)
	s.reset()
	return s
}

// buildInputs makes the form's widgets.
func (s *complaintScreen) buildInputs(sc app.Scanner, cfg *config.Config) {
	t := s.h.texts()
	s.who = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	s.change = t.button("complaint.change", s.onChange)
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
	s.description = t.input()
	s.description.MultiLine, s.description.Wrapping = true, fyne.TextWrapWord
	s.description.SetMinRowsVisible(3)
	s.address, s.paperRef, s.paperDate = t.input(), t.input(), t.input()
	s.onPaper = t.check("complaint.onpaper", func(on bool) { s.paperRow.Hidden = !on; s.obj.Refresh() })
	s.files = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.scans = newScanPanel(s.h, sc, cfg)
}

// buildForm lays the form out in rows, in the order Tab takes.
func (s *complaintScreen) buildForm() fyne.CanvasObject {
	t := s.h.texts()
	s.finder = container.NewVBox(container.NewBorder(nil, nil, nil, t.button("complaint.search", s.onSearch), s.search), s.found)
	kind := t.field("kind", "complaint.kind", "", false, s.kind)
	category := t.field("category_code", "complaint.category", "", false, s.category)
	hood := t.field("neighbourhood_code", "complaint.hood", "", true, s.hood)
	address := t.field("address", "complaint.address", "", true, s.address)
	desc := t.field("description", "complaint.description", "", false, s.description)
	ref := t.field("paper_ref", "complaint.paperref", "", false, s.paperRef)
	date := t.field("paper_date", "complaint.paperdate", "", false, s.paperDate)
	files := t.field("attachments", "complaint.files", "", true, container.NewBorder(nil, nil, nil,
		container.NewHBox(t.button("complaint.attach", s.onAttach), t.button("complaint.detach", s.onDetach)), s.files))
	who := t.field("citizen_id", "", "", false,
		column(container.NewBorder(nil, nil, nil, container.NewHBox(s.change, s.anonymous), s.who), s.finder))
	scan := t.field("scan", "scan.title", "", true, s.scans.root())
	s.fields = []*field{who, kind, category, hood, address, desc, ref, date, files}
	s.paperRow = container.NewGridWithColumns(2, ref.box, date.box)
	// An HBox, not a Border: a Border's centre comes first in the tab order,
	// which would take Tab past the check box it shows on the left.
	paper := container.New(&leadThenFill{}, container.NewVBox(s.onPaper), s.paperRow)
	return column(s.summary.box, s.errs, who.box,
		container.NewGridWithColumns(2, kind.box, category.box),
		container.NewGridWithColumns(2, hood.box, address.box),
		desc.box, paper, files.box, scan.box)
}

// buildResult is what replaces the form once it is saved.
func (s *complaintScreen) buildResult(p printing) *fyne.Container {
	t := s.h.texts()
	s.code = bigText(56)
	s.done = infoLabel()
	s.done.TextStyle = fyne.TextStyle{Bold: true}
	s.filed = &widget.Label{Wrapping: fyne.TextWrapWord}
	s.again = t.primary("complaint.again", s.onAgain)
	s.toCitizen = t.button("complaint.tocitizen", s.onToCitizen)
	s.receipt = newPrintOutcome(s.h, p)
	next := container.NewHBox(s.again, s.toCitizen)
	return column(s.done, t.label("complaint.code"), s.code, s.filed, s.receipt.root(), widget.NewSeparator(), next)
}

func (s *complaintScreen) root() fyne.CanvasObject { return s.obj }
func (s *complaintScreen) focus() {
	if s.citizen != nil {
		s.h.canvas().Focus(s.kind)
	} else {
		s.h.canvas().Focus(s.search)
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
	s.paperRow.Show()
	s.files.SetText(lang.L("complaint.nofiles"))
	s.scans.reset()
	s.summary.clear(s.fields...)
	s.errs.SetText("")
	s.code.Text = ""
	s.code.Refresh()
	s.done.SetText("")
	s.filed.SetText("")
	s.receipt.reset()
	s.saving = false
	s.save.Enable()
	s.save.Show()
	s.formBox.Show()
	s.resultBox.Hide()
	s.showWho()
	s.formBox.(*container.Scroll).ScrollToTop()
}

// begin starts a new complaint, for c when the clerk came from a citizen's page.
func (s *complaintScreen) begin(c *app.Citizen) {
	s.reset()
	s.citizen = c
	s.showWho()
	s.loadCatalog()
}

// showWho says who the request is for; the search shows only while no one
// is chosen (a citizen's page opens the form with them chosen).
func (s *complaintScreen) showWho() {
	switch {
	case s.anonymous.Checked:
		s.who.SetText(lang.L("complaint.who.anonymous"))
	case s.citizen != nil:
		s.who.SetText(lang.L("complaint.who", map[string]any{"Name": s.citizen.DisplayName(), "ID": s.citizen.NationalID.Masked()}))
	default:
		s.who.SetText(lang.L("complaint.who.none"))
	}
	s.finder.Hidden = s.citizen != nil || s.anonymous.Checked
	s.change.Hidden = !s.finder.Hidden
	s.obj.Refresh()
}

// onChange looks for another citizen than the one chosen.
func (s *complaintScreen) onChange() {
	s.h.touch()
	s.citizen = nil
	s.anonymous.SetChecked(false)
	s.showWho()
	s.h.canvas().Focus(s.search)
}

func (s *complaintScreen) loadCatalog() {
	s.catalog.load(func(err error) {
		if err != nil {
			setError(s.errs, err)
			return
		}
		s.category.Options = s.catalog.categoryLabels()
		s.hood.Options = s.catalog.hoodLabels()
		s.category.Refresh()
		s.hood.Refresh()
	})
}

func (s *complaintScreen) onSearch() {
	s.h.touch()
	q, sess := s.search.Text, s.h.session()
	var hits []*app.Citizen
	s.h.run(func(ctx context.Context) (err error) {
		hits, err = s.counter.Find(ctx, sess, q)
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
		s.h.canvas().Focus(s.kind) // the search field it was in is hidden now
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
	if cat, ok := s.catalog.category(s.category.SelectedIndex()); ok {
		c.CategoryCode = cat.Code
	}
	if h, ok := s.catalog.hood(s.hood.SelectedIndex()); ok {
		c.NeighbourhoodCode = h.Code
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
	s.h.touch()
	if s.saving || !s.formBox.Visible() {
		return // a second press while saving, or Ctrl+S on the result
	}
	s.errs.SetText("")
	c, err := s.complaint()
	if err == nil {
		err = c.Validate(s.counter.Now())
	}
	if err != nil {
		s.summary.show([]error{err}, s.fields...)
		return
	}
	s.summary.clear(s.fields...)
	scanned, ok := s.scans.forSave() // the scanned pages become one PDF attachment
	if !ok {
		return
	}
	sess, citizen := s.h.session(), s.citizen
	category, kind := s.category.Selected, s.kind.Selected
	s.saving = true
	s.save.Disable()
	var pdf *app.Attachment
	s.h.run(func(ctx context.Context) (err error) {
		if pdf, err = scanned.attach(ctx, s.counter, sess); err != nil {
			return err
		}
		if pdf != nil {
			c.Attachments = append(slices.Clone(c.Attachments), *pdf)
		}
		return s.counter.FileComplaint(ctx, sess, c)
	}, func(err error) {
		s.scans.attached(scanned, pdf)
		s.saving = false
		s.save.Enable()
		if err != nil {
			s.summary.show([]error{err}, s.fields...)
			return
		}
		s.showResult(c, citizen, kind, category)
	})
}

// showResult replaces the form with what was saved, and prints its receipt.
func (s *complaintScreen) showResult(c *app.Complaint, citizen *app.Citizen, kind, category string) {
	s.code.Text = c.TrackingCode.String()
	s.code.Refresh()
	s.done.SetText("✓ " + lang.L("complaint.saved"))
	who := lang.L("complaint.who.anonymous")
	if citizen != nil && !c.Anonymous {
		who = citizen.DisplayName()
	}
	s.filed.SetText(strings.Join([]string{kind, category, who}, " · "))
	s.toCitizen.Hidden = citizen == nil || c.Anonymous
	s.formBox.Hide()
	s.save.Hide()
	s.resultBox.Show()
	s.obj.Refresh()
	s.h.canvas().Focus(s.again)
	s.printReceipt(complaintReceipt(c, citizen, category))
}

// printReceipt prints the saved complaint's receipt beside its tracking
// code, and says there whether it came out. The record is saved whatever the
// printer does.
func (s *complaintScreen) printReceipt(r app.ReceiptRequest) {
	s.receipt.start(func(ctx context.Context, p *paper.Service) (*app.PrintJob, error) {
		return p.PrintReceipt(ctx, r)
	})
}

// onAttach opens the counter's own file picker (the scan folder and
// removable media only); the file picked is sealed and listed here.
func (s *complaintScreen) onAttach() {
	s.h.touch()
	sess := s.h.session()
	s.to.pickFile(screenComplaint, func(name string, data []byte, done func(error)) {
		var a app.Attachment
		s.h.run(func(ctx context.Context) (err error) {
			a, err = s.counter.Attach(ctx, sess, name, data)
			return err
		}, func(err error) {
			if err == nil {
				s.attached = append(s.attached, a)
				s.listFiles()
			}
			done(err)
		})
	})
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

func (s *complaintScreen) onHome() { s.reset(); s.h.show(screenHome) }

// onAgain starts another request for the same citizen.
func (s *complaintScreen) onAgain() { s.begin(s.citizen); s.focus() }

// onToCitizen opens the citizen's page, within a new visit.
func (s *complaintScreen) onToCitizen() {
	s.h.touch()
	if c := s.citizen; c != nil {
		s.reset()
		s.to.citizen(c, nil, "")
	}
}
