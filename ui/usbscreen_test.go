package ui

import (
	"context"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/central"
	gsync "github.com/kocasinan/gise/sync"
)

// usbRig is the kiosk rig with a real USB transfer: the terminal's keys
// registered with a reference central on loopback, and a stick (a folder
// under a removable folder the file picker knows).
type usbRig struct {
	*rig
	srv   *central.Server
	stick string
	usb   *usbScreen
}

func newUSBRig(t *testing.T, role app.Role) *usbRig {
	t.Helper()
	r := newRig(t)
	ctx := context.Background()
	srv, err := central.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	token, _ := srv.EnrolDevice(ctx, "KCS-SAHA-01")
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	sealer, err := keys.Load(keys.DefaultPath(filepath.Dir(r.tm.Store.Path())))
	if err != nil {
		t.Fatal(err)
	}
	if err := gsync.RegisterBundleKeys(ctx, gsync.Settings{BaseURL: hs.URL, DeviceID: "KCS-SAHA-01", Token: token},
		r.tm.Store, sealer, 1, app.Actor{Username: "cli:test", Role: app.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	stick := filepath.Join(base, "KINGSTON")
	os.Mkdir(stick, 0o700)
	r.k.svc.Config.Files.Removable = []string{base}
	r.with(func(s *Services) { s.USB = &gsync.USB{Store: r.tm.Store, Keys: sealer} })
	r.with(func(s *Services) { s.Sync = queueOnly{r.tm.Store} })
	r.login(role)
	r.k.show(screenSync)
	r.tap(button(t, r.k.syncPanel.obj, "USB ile aktar"))
	r.wantScreen(screenUSB)
	return &usbRig{rig: r, srv: srv, stick: stick, usb: r.k.views[screenUSB].(*usbScreen)}
}

// TestUSBScreen drives "USB ile aktar" as a supervisor would: the stick
// found and chosen, the records written (shown "USB'de", nothing
// delivered), the central's receipt found on the stick and applied, and
// applied twice refused with a sentence. Both languages.
func TestUSBScreen(t *testing.T) {
	r := newUSBRig(t, app.RoleSupervisor)
	s := r.usb
	if s.media.Selected != "KINGSTON ("+r.stick+")" {
		t.Fatalf("medium %q of %v", s.media.Selected, s.media.Options)
	}
	if !strings.Contains(s.state.Text, "USB'de (yanıt bekleyen): 0") {
		t.Fatalf("state %q", s.state.Text)
	}
	r.tap(s.export)
	if s.errs.Text != "" || !strings.Contains(s.info.Text, "1 dosya yazıldı") {
		t.Fatalf("export: %q / %q", s.errs.Text, s.info.Text)
	}
	bundles, _ := filepath.Glob(filepath.Join(r.stick, "aktarim-*.gise"))
	if len(bundles) != 1 || strings.Contains(s.state.Text, "USB'de (yanıt bekleyen): 0") {
		t.Fatalf("bundles %v, state %q", bundles, s.state.Text)
	}
	if n := r.count(`SELECT COUNT(*) FROM outbox WHERE state = 'delivered'`); n != 0 {
		t.Fatalf("exporting delivered %d", n)
	}
	shot(t, r.rig, "usb")

	f, _ := os.Open(bundles[0])
	imp, err := r.srv.ImportBundle(context.Background(), f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(r.stick, imp.ReceiptName), imp.Receipt, 0o600)
	r.tap(button(t, s.obj, "Yenile"))
	if s.receipts.Selected != imp.ReceiptName {
		t.Fatalf("receipt %q of %v", s.receipts.Selected, s.receipts.Options)
	}
	r.tap(s.apply)
	if s.errs.Text != "" || !strings.HasPrefix(s.info.Text, "Yanıt uygulandı") || !strings.Contains(s.state.Text, "USB'de (yanıt bekleyen): 0") {
		t.Fatalf("apply: %q / %q / %q", s.errs.Text, s.info.Text, s.state.Text)
	}
	if n := r.count(`SELECT COUNT(*) FROM outbox WHERE state = 'delivered'`); n == 0 {
		t.Fatal("the receipt delivered nothing")
	}
	r.tap(s.apply)
	if !strings.Contains(s.errs.Text, "daha önce uygulandı") {
		t.Fatalf("applied twice: %q", s.errs.Text)
	}
	r.k.toggleLanguage()
	r.tap(button(t, s.obj, "Refresh"))
	if s.export.Text != "Write to the stick" || !strings.Contains(s.state.Text, "on USB (awaiting an answer): 0") {
		t.Fatalf("English: %q, %q", s.export.Text, s.state.Text)
	}
	r.tap(s.apply)
	if !strings.Contains(s.errs.Text, "applied on this terminal before") {
		t.Fatalf("English refusal: %q", s.errs.Text)
	}
	shot(t, r.rig, "usb-applied")
}

// TestUSBScreenClerk: a clerk sees that a supervisor transfers, with the
// buttons off.
func TestUSBScreenClerk(t *testing.T) {
	r := newUSBRig(t, app.RoleClerk)
	if !strings.Contains(r.usb.errs.Text, "yalnızca amir") || !r.usb.export.Disabled() || !r.usb.apply.Disabled() {
		t.Fatalf("clerk: %q, export disabled %v", r.usb.errs.Text, r.usb.export.Disabled())
	}
}

// TestUSBScreenNoStick: no stick inserted says so.
func TestUSBScreenNoStick(t *testing.T) {
	r := newUSBRig(t, app.RoleSupervisor)
	os.Remove(r.stick)
	r.tap(button(t, r.usb.obj, "Yenile"))
	if !strings.Contains(r.usb.info.Text, "Takılı bellek bulunamadı") {
		t.Fatalf("no stick: %q", r.usb.info.Text)
	}
	r.tap(r.usb.export)
	if r.usb.errs.Text != "Önce bir bellek seçin." {
		t.Fatalf("export without a stick: %q", r.usb.errs.Text)
	}
}

// shot writes the window as PNG into GISE_SCREENSHOTS (make screenshots),
// named by the language and name.
func shot(t *testing.T, r *rig, name string) {
	t.Helper()
	dir := os.Getenv("GISE_SCREENSHOTS")
	if dir == "" {
		return
	}
	r.k.Wait()
	frame(r.w.Canvas())
	f, err := os.Create(filepath.Join(dir, r.k.lang+"-"+name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, r.w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}
