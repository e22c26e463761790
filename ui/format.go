package ui

import "time"

// Dates and times on every screen follow the Turkish convention, zero-padded
// (UX.md, CLDR tr): 05.03.2025 and 14:30, 24-hour, in the terminal's zone.
const (
	dateLayout     = "02.01.2006"
	dateTimeLayout = "02.01.2006 15:04"
)

// formatTime shows an instant as GG.AA.YYYY SS:DD in local time.
func formatTime(t time.Time) string { return t.Local().Format(dateTimeLayout) }
