package app

import (
	"strings"
	"time"
)

// DateLayout is the contract's date form, YYYY-MM-DD.
const DateLayout = "2006-01-02"

// dateInputLayouts are the forms a clerk may type: ISO and the Turkish
// day.month.year with dots or slashes.
var dateInputLayouts = []string{DateLayout, "2.1.2006", "02.01.2006", "2/1/2006", "02/01/2006"}

// ParseDate reads a calendar date in one of the accepted forms and returns it
// as midnight UTC. It rejects dates that do not exist (31.02.2000).
func ParseDate(field, s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateInputLayouts {
		if d, err := time.Parse(layout, s); err == nil {
			return d, nil
		}
	}
	return time.Time{}, FieldError(field, "Tarihi GG.AA.YYYY biçiminde yazın (örneğin 23.04.1985); bu tarih takvimde yok ya da okunamadı.")
}

// Today returns the calendar date of now in the terminal's local time, as
// midnight UTC, comparable with dates from ParseDate.
func Today(now time.Time) time.Time {
	y, m, d := now.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ParseBirthDate reads a birth date and checks that it is not in the future
// and that the person is younger than 130.
func ParseBirthDate(s string, now time.Time) (time.Time, error) {
	d, err := ParseDate("birth_date", s)
	if err != nil {
		return d, err
	}
	today := Today(now)
	if d.After(today) {
		return time.Time{}, FieldError("birth_date", "Doğum tarihi bugünden sonra olamaz; yılı kontrol edin.")
	}
	if !d.After(today.AddDate(-130, 0, 0)) {
		return time.Time{}, FieldError("birth_date", "Doğum tarihi 130 yıldan eski olamaz; yılı kontrol edin.")
	}
	return d, nil
}
