package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/kocasinan/gise/app"
)

// citizenFields are the inputs of a registration form, shared by the counter
// and the self-service form: each entry with its labelled field. A screen
// that reacts to typing adds to an entry's OnChanged (selffields.go's
// onChanged), never replaces it: the fields' own reactions (the phone hint,
// the national ID's checksum, the clerk's activity) must keep running.
type citizenFields struct {
	nationalID, firstName, lastName, birthDate, phone, email *entry
	declined                                                 *widget.Check
	nidField, firstField, lastField, birthField              *field
	phoneField, emailField                                   *field
	touch                                                    func() // activity, which keeps a session open
	changed                                                  []func()
}

func newCitizenFields(h host) *citizenFields {
	t := h.texts()
	f := &citizenFields{nationalID: t.input(), firstName: t.input(), lastName: t.input(), birthDate: t.input(),
		phone: t.input(), email: t.input(), touch: h.touch}
	f.declined = t.check("citizen.declined", func(bool) { f.onChanged() })
	for _, e := range []*entry{f.nationalID, f.firstName, f.lastName, f.birthDate, f.phone, f.email} {
		e.OnChanged = func(string) { f.onChanged() }
	}
	f.nidField = t.field("national_id", "citizen.nid", "citizen.nid.hint", false, f.nationalID)
	f.firstField = t.field("first_name", "citizen.first", "citizen.first.hint", false, f.firstName)
	f.lastField = t.field("last_name", "citizen.last", "citizen.last.hint", false, f.lastName)
	f.birthField = t.field("birth_date", "citizen.birth", "citizen.birth.hint", false, f.birthDate)
	f.phoneField = t.field("phone", "citizen.phone", "citizen.phone.hint", true, f.phone)
	f.emailField = t.field("email", "citizen.email", "citizen.email.hint", true, f.email)
	f.nationalID.OnChanged = func(string) { f.checkNationalID(); f.onChanged() }
	f.phone.OnChanged = func(string) { f.showPhone(); f.onChanged() }
	return f
}

// onChange adds a reaction to any change in the form, beside the fields'
// own.
func (f *citizenFields) onChange(do func()) { f.changed = append(f.changed, do) }

func (f *citizenFields) onChanged() {
	f.touch()
	for _, do := range f.changed {
		do()
	}
}

// checkNationalID flags a wrong checksum as soon as 11 digits are in, the
// counter's one exception to validating on save (UX.md); it never moves the
// focus on.
func (f *citizenFields) checkNationalID() {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, f.nationalID.Text)
	if _, err := app.ParseNationalID(f.nationalID.Text); err != nil && len(digits) == 11 {
		f.nidField.setError(message(err))
		return
	}
	f.nidField.setError("")
}

// showPhone says how the phone number will be saved, as it is typed.
func (f *citizenFields) showPhone() {
	if h := f.phoneSaved(); h != "" {
		f.phoneField.setHint(h)
		return
	}
	f.phoneField.setHint(lang.L("citizen.phone.hint"))
}

// phoneSaved is "Kaydedilecek: 0532 123 45 67" once the phone field reads as
// a number, else "".
func (f *citizenFields) phoneSaved() string {
	if p, err := app.NormalizePhone(f.phone.Text); err == nil && p != "" {
		return lang.L("citizen.phone.normalised", map[string]any{"Phone": app.FormatPhone(p)})
	}
	return ""
}

func (f *citizenFields) entries() []*entry {
	return []*entry{f.nationalID, f.firstName, f.lastName, f.birthDate, f.phone, f.email}
}

// all returns the fields in the order of the form.
func (f *citizenFields) all() []*field {
	return []*field{f.nidField, f.firstField, f.lastField, f.birthField, f.phoneField, f.emailField}
}

func (f *citizenFields) input() app.CitizenInput {
	return app.CitizenInput{NationalID: f.nationalID.Text, FirstName: f.firstName.Text, LastName: f.lastName.Text,
		BirthDate: f.birthDate.Text, Phone: f.phone.Text, Email: f.email.Text, ContactDeclined: f.declined.Checked}
}

// reset empties every field and its message.
func (f *citizenFields) reset() {
	for _, e := range f.entries() {
		e.SetText("")
	}
	f.declined.SetChecked(false)
	for _, fl := range f.all() {
		fl.setError("")
	}
	f.showPhone()
}

// focusFirst puts the cursor in the national ID field.
func (f *citizenFields) focusFirst(c fyne.Canvas) { c.Focus(f.nationalID) }
