package ui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/auth"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
)

// TestScreenshots renders the main screens, in Turkish and English, to PNG
// files for the README (make screenshots). It runs only when
// GISE_SCREENSHOTS names the folder to write to.
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("GISE_SCREENSHOTS")
	if dir == "" {
		t.Skip("set GISE_SCREENSHOTS to a folder (make screenshots)")
	}
	for _, lang := range []string{"tr", "en"} {
		r := newRig(t, func(s *Services) { s.Sync = queueOnly{s.Catalog.(*sqlite.Store)} })
		if lang == "en" {
			r.k.toggleLanguage()
		}
		r.w.Resize(fyne.NewSize(1280, 800))
		r.k.show(screenLogin)
		shot(t, r, "login")
		r.login(app.RoleClerk)
		shot(t, r, "home")
		r.w.Resize(fyne.NewSize(1024, 768))
		shot(t, r, "home-1024x768")
		r.w.Resize(fyne.NewSize(1920, 1080))
		shot(t, r, "home-1920x1080")
		r.w.Resize(fyne.NewSize(1280, 800))
		r.k.register.begin()
		r.k.show(screenRegister)
		shot(t, r, "register")
		r.tap(r.k.register.shown)
		f := r.k.register.fields
		r.typeInto(f.nationalID, "10000000146")
		r.typeInto(f.firstName, "Işıl")
		r.typeInto(f.lastName, "Çağlar")
		r.typeInto(f.birthDate, "23.04.1985")
		r.typeInto(f.phone, "0532 123 45 67")
		shot(t, r, "register-form")
		r.tm.Clock.Add(auth.DefaultIdleLock - auth.DefaultWarnBefore + time.Second) // the clerk turns away
		r.k.shell.tick()
		shot(t, r, "session-timeout")
		r.k.shell.dialog.onStay()
		r.tap(r.k.register.save)
		shot(t, r, "citizen")
		r.tap(r.k.citizen.toComplaint)
		c := r.k.complaint
		c.kind.SetSelectedIndex(0)
		c.category.SetSelectedIndex(0)
		r.typeInto(c.description, "Sokak lambası üç gündür yanmıyor.")
		r.typeInto(c.paperRef, "EVR-2026/1183")
		r.typeInto(c.paperDate, "27.11.2026")
		shot(t, r, "complaint")
		scans := t.TempDir()
		r.k.svc.Config.Files = config.Files{ScanFolder: scans}
		pngFile(t, filepath.Join(scans, "dilekçe-ön-yüz.png"))
		os.WriteFile(filepath.Join(scans, "ek-belgeler.pdf"), []byte("%PDF-1.4\n%%EOF\n"), 0o644)
		r.tap(button(t, c.obj, lang2(lang, "Dosya ekle", "Attach a file")))
		shot(t, r, "files")
		r.tap(button(t, r.k.files.obj, lang2(lang, "Vazgeç", "Cancel")))
		r.tap(c.save)
		shot(t, r, "complaint-saved")
		r.login(app.RoleAdmin)
		r.k.shortcuts["CustomDesktop:Control+5"]()
		r.typeInto(r.k.admin.user, "ayse.kaya")
		r.k.admin.role.SetSelectedIndex(0)
		r.tap(button(t, r.k.admin.obj, lang2(lang, "Hesap aç", "Create account")))
		shot(t, r, "admin")
		r.k.onLogout()
		r.k.Wait()
		r.k.show(screenSelf)
		selfShots(t, r, lang, func(name string) { shot(t, r, name) })
	}
}

// selfShots walks the self-service flow as a citizen would and shoots its
// screens: the welcome, the notice, a question with the letters and one
// with the number pad (at 1280×800 and 1024×768), the summary, the staff
// call and the receipt.
func selfShots(t *testing.T, r *rig, lang string, shot func(string)) {
	t.Helper()
	r.keepPrints() // the receipt as it is when it prints; builds the kiosk again
	s := r.k.self
	s.reset()
	shot("self-welcome")
	r.tap(&s.start.Button)
	shot("self-notice")
	r.tap(&s.read.Button)
	r.typeInto(s.fields.nationalID, "2000000028")
	s.followFocus()
	r.w.Resize(fyne.NewSize(1024, 768))
	shot("self-nid-1024x768")
	r.w.Resize(fyne.NewSize(1280, 800))
	r.typeInto(s.fields.nationalID, "2") // another person than the counter's
	r.tap(&s.questions[selfNationalID].next.Button)
	r.typeInto(s.fields.firstName, "Çağrı")
	s.followFocus()
	shot("self-form")
	r.w.Resize(fyne.NewSize(1024, 768))
	shot("self-form-1024x768")
	r.w.Resize(fyne.NewSize(1280, 800))
	r.typeInto(s.fields.lastName, "Işık")
	r.tap(&s.questions[selfName].next.Button)
	r.typeInto(s.fields.birthDate, "23.4.1985")
	r.tap(&s.questions[selfBirth].next.Button)
	r.typeInto(s.fields.phone, "05321234567")
	r.tap(&s.questions[selfContact].next.Button)
	s.kind.Select(0)
	s.category.Select(5)
	r.tap(&s.questions[selfSubject].next.Button)
	r.typeInto(s.desc, lang2(lang, "Sokak lambası üç gündür yanmıyor.", "The street lamp has been out for three days."))
	r.tap(&s.questions[selfDescription].next.Button)
	shot("self-summary")
	r.tap(&s.call.Button)
	shot("self-staff")
	s.staff.onBack()
	r.tap(&s.summary.send.Button)
	shot("self-receipt")
	r.w.Resize(fyne.NewSize(1024, 768))
	shot("self-receipt-1024x768")
	r.w.Resize(fyne.NewSize(1280, 800))
	s.reset()
}

func lang2(lang, tr, en string) string {
	if lang == "en" {
		return en
	}
	return tr
}
