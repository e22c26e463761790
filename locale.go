package main

import "github.com/kocasinan/gise/internal/posixlocale"

// The main package initialises last: Fyne's language set-up is done, so the
// locale posixlocale narrowed for it goes back as it was.
func init() { posixlocale.Restore() }
