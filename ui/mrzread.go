package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// mrzProblem is the sentence of a failed read, with the zone's line when
// the error names one.
func mrzProblem(err error) string {
	var me *app.MRZError
	if errors.As(err, &me) && me.Line > 0 {
		return message(err) + " " + lang.L("mrz.line", map[string]any{"Line": me.Line})
	}
	return message(err)
}

// say shows a read's outcome above the form: green when it read, red
// when it did not.
func say(l *widget.Label, msg string, ok bool) {
	l.Importance = widget.DangerImportance
	prefix := "⚠ "
	if ok {
		l.Importance, prefix = widget.SuccessImportance, "✓ "
	}
	l.SetText(prefix + msg)
	l.Show()
}

// onMRZ fills the form from a document's zone: the national ID, the birth
// date and the names. A name already typed that folds like the card's is
// kept (it has the Turkish letters the card cannot print); otherwise the
// card's spelling goes in as it is, and the hint asks the clerk to put in
// the Turkish letters from the card's front. No letter is guessed.
func (s *registerScreen) onMRZ(text string) {
	s.h.touch()
	m, err := app.ParseMRZAt(text, s.counter.Now())
	if err != nil {
		say(s.read, mrzProblem(err), false)
		s.obj.Refresh()
		return
	}
	f := s.fields
	if m.NationalID != "" {
		f.nationalID.SetText(m.NationalID.Digits())
	}
	f.birthDate.SetText(m.BirthDate.Format(dateLayout))
	for _, n := range []struct {
		e    *entry
		card string
	}{{f.firstName, m.GivenNames}, {f.lastName, m.Surname}} {
		if strings.TrimSpace(n.e.Text) == "" || app.FoldName(n.e.Text) != app.FoldName(n.card) {
			n.e.SetText(n.card)
		}
	}
	s.card = &app.MRZ{Surname: m.Surname, GivenNames: m.GivenNames}
	s.checkNames()
	say(s.read, lang.L("mrz.read.register", map[string]any{"Document": lang.L("method." + string(m.Method()))}), true)
	if m.Expired(s.counter.Now()) {
		say(s.read, lang.L("mrz.read.expired", map[string]any{"Date": m.Expiry.Format(dateLayout)}), false)
	}
	s.obj.Refresh() // the message and the longer hints take their room
}

// checkNames says under each name field how it stands with the card: the
// card's spelling still to be given its Turkish letters, the same name
// with them, or a name the card does not have.
func (s *registerScreen) checkNames() {
	f := s.fields
	pairs := []struct {
		fl   *field
		e    *entry
		hint string
		card string
	}{{f.firstField, f.firstName, lang.L("citizen.first.hint"), ""}, {f.lastField, f.lastName, lang.L("citizen.last.hint"), ""}}
	if s.card != nil {
		pairs[0].card, pairs[1].card = s.card.GivenNames, s.card.Surname
	}
	for _, p := range pairs {
		switch typed := strings.TrimSpace(p.e.Text); {
		case p.card == "":
			p.fl.setHint(p.hint)
		case typed == p.card:
			p.fl.setHint(lang.L("mrz.name.asread", map[string]any{"Card": p.card}))
		case app.FoldName(typed) == app.FoldName(p.card):
			p.fl.setHint("✓ " + lang.L("mrz.name.matches", map[string]any{"Card": p.card}))
		default:
			p.fl.setHint("⚠ " + lang.L("mrz.name.differs", map[string]any{"Card": p.card}))
		}
	}
}

// mrzState is what the citizen page keeps of a read: enough to record
// the check, never the document number or the zone.
type mrzState struct {
	serial  string // the serial's last four, as read
	method  app.DocumentMethod
	match   app.MRZMatch
	expires string // GG.AA.YYYY
	read    bool
}

// onMRZ checks the person in front of the clerk against the record: the
// national ID, the names by Turkish folding, the birth date and the
// expiry. It fills the check's method, the serial's last four and the
// result (verified only when every point matched and the document is in
// date); the photo comparison stays the clerk's to tick.
func (s *citizenScreen) onMRZ(text string) {
	s.h.touch()
	s.errs.SetText("")
	s.info.SetText("")
	if s.citizen == nil {
		return
	}
	now := s.counter.Now()
	m, err := app.ParseMRZAt(text, now)
	if err != nil {
		s.mrz = mrzState{}
		s.showMRZ()
		s.errs.SetText(mrzProblem(err))
		return
	}
	s.mrz = mrzState{serial: m.SerialLast4(), method: m.Method(), match: m.Match(s.citizen, now),
		expires: m.Expiry.Format(dateLayout), read: true}
	s.mrzExpiry = m.Expiry
	for i, method := range methods {
		if method == s.mrz.method {
			s.method.SetSelectedIndex(i)
		}
	}
	s.serial.SetText(s.mrz.serial)
	for i, r := range results {
		if r == s.mrz.match.Result() {
			s.result.SetSelected(s.result.Options[i])
		}
	}
	s.showMRZ()
}

// showMRZ lists the points of the last read, each with its mark, and
// ticks "MRZ checks passed" when all of them did.
func (s *citizenScreen) showMRZ() {
	st := s.mrz
	s.mrzPassed.Hidden = !(st.read && st.match.Passed())
	s.mrzRows.Hidden = !st.read // no room taken before a read
	if !st.read {
		s.mrzRows.SetText("")
		return
	}
	mark := func(ok bool, good, bad string) string {
		if ok {
			return "✓ " + good
		}
		return "✗ " + bad
	}
	m, date := st.match, map[string]any{"Date": st.expires}
	nid := mark(m.NationalID, lang.L("mrz.row.nid.ok"), lang.L("mrz.row.nid.bad"))
	if !m.HasNationalID {
		nid = "– " + lang.L("mrz.row.nid.none")
	}
	rows := []string{nid, mark(m.Names, lang.L("mrz.row.names.ok"), lang.L("mrz.row.names.bad")),
		mark(m.BirthDate, lang.L("mrz.row.birth.ok"), lang.L("mrz.row.birth.bad")),
		mark(!m.Expired, lang.L("mrz.row.expiry.ok", date), lang.L("mrz.row.expiry.bad", date))}
	s.mrzRows.SetText(strings.Join(rows, "\n"))
	s.obj.Refresh()
}
