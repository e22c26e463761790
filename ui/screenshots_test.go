package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/kocasinan/gise/app"
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
		r := newRig(t)
		if lang == "en" {
			r.k.toggleLanguage()
		}
		shot := func(name string) {
			t.Helper()
			r.k.Wait()
			img := r.w.Canvas().Capture()
			f, err := os.Create(filepath.Join(dir, lang+"-"+name+".png"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
		}
		r.k.svc.Sync = queueOnly{r.tm.Store}
		r.w.Resize(fyne.NewSize(1280, 800))
		r.k.show(screenLogin)
		shot("login")
		r.login(app.RoleClerk)
		shot("home")
		r.w.Resize(fyne.NewSize(1024, 768))
		shot("home-1024x768")
		r.w.Resize(fyne.NewSize(1920, 1080))
		shot("home-1920x1080")
		r.w.Resize(fyne.NewSize(1280, 800))
		r.k.register.begin()
		r.k.show(screenRegister)
		shot("register")
		r.tap(r.k.register.shown)
		f := r.k.register.fields
		r.typeInto(f.nationalID, "10000000146")
		r.typeInto(f.firstName, "Işıl")
		r.typeInto(f.lastName, "Çağlar")
		r.typeInto(f.birthDate, "23.04.1985")
		r.typeInto(f.phone, "0532 123 45 67")
		shot("register-form")
		r.tap(r.k.register.save)
		shot("citizen")
		r.tap(r.k.citizen.toComplaint)
		c := r.k.complaint
		c.kind.SetSelectedIndex(0)
		c.category.SetSelectedIndex(0)
		r.typeInto(c.description, "Sokak lambası üç gündür yanmıyor.")
		r.typeInto(c.paperRef, "EVR-2026/1183")
		r.typeInto(c.paperDate, "27.11.2026")
		shot("complaint")
		r.tap(c.save)
		shot("complaint-saved")
		r.login(app.RoleAdmin)
		r.k.shortcuts["CustomDesktop:Control+5"]()
		r.typeInto(r.k.admin.user, "ayse.kaya")
		r.k.admin.role.SetSelectedIndex(0)
		r.tap(button(t, r.k.admin.obj, lang2(lang, "Hesap aç", "Create account")))
		shot("admin")
		r.k.onLogout()
		r.k.Wait()
		r.k.show(screenSelf)
		shot("self-welcome")
		r.tap(button(t, r.k.self.obj, lang2(lang, "Başla", "Start")))
		shot("self-notice")
		r.tap(button(t, r.k.self.obj, lang2(lang, "Okudum", "I have read it")))
		r.typeInto(r.k.self.fields.firstName, "Çağrı")
		r.k.self.followFocus()
		shot("self-form")
		r.w.Resize(fyne.NewSize(1024, 768))
		shot("self-form-1024x768")
	}
}

func lang2(lang, tr, en string) string {
	if lang == "en" {
		return en
	}
	return tr
}
