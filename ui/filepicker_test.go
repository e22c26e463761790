package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

// pngFile writes a small real PNG.
func pngFile(t *testing.T, path string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		img.Set(x, 10, color.Black)
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The picker shows the scan folder and the sticks under the removable
// folders, nothing else: not what a link leads to outside them, not files
// a complaint cannot carry, not hidden ones.
func TestFileRootsAndListingStayInside(t *testing.T) {
	scans, media, outside := t.TempDir(), t.TempDir(), t.TempDir()
	stick := filepath.Join(media, "ayse", "KINGSTON")
	if err := os.MkdirAll(stick, 0o755); err != nil {
		t.Fatal(err)
	}
	pngFile(t, filepath.Join(scans, "dilekçe-1.png"))
	pngFile(t, filepath.Join(outside, "gizli.png"))
	for _, name := range []string{"not.txt", ".hidden.pdf"} {
		os.WriteFile(filepath.Join(scans, name), []byte("x"), 0o644)
	}
	os.Symlink(filepath.Join(outside, "gizli.png"), filepath.Join(scans, "link.png"))
	os.Symlink(outside, filepath.Join(scans, "dışarı"))
	roots := fileRoots(config.Files{ScanFolder: scans, Removable: []string{media, filepath.Join(t.TempDir(), "none")}})
	if len(roots) != 2 || roots[0].Name != "" || roots[1].Name != "KINGSTON" {
		t.Fatalf("roots %+v", roots)
	}
	list, err := listFolder(roots, roots[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name)
	}
	if strings.Join(names, ",") != "dilekçe-1.png" {
		t.Fatalf("listed %v", names)
	}
	if _, err := readAttachable(roots, filepath.Join(scans, "link.png")); err != errOutside {
		t.Errorf("a link out of the scan folder was read: %v", err)
	}
	if _, err := listFolder(roots, filepath.Join(scans, "..")); err != errOutside {
		t.Errorf("the folder above the scan folder was listed: %v", err)
	}
	if thumbnail(filepath.Join(scans, "dilekçe-1.png"), 96) == nil {
		t.Error("no thumbnail for a PNG scan")
	}
}

// A clerk attaches a scan from the picker and is back on the form with it
// listed; an empty file gets a sentence that names it; nothing typed on the
// form is lost.
func TestAttachFromThePicker(t *testing.T) {
	r := newRig(t)
	scans := t.TempDir()
	r.k.svc.Config.Files = config.Files{ScanFolder: scans}
	data := pngFile(t, filepath.Join(scans, "tarama.png"))
	os.WriteFile(filepath.Join(scans, "boş.pdf"), nil, 0o644)
	r.login(app.RoleClerk)
	r.k.complaint.begin(nil)
	r.k.show(screenComplaint)
	s := r.k.complaint
	r.typeInto(s.description, "Kaldırım kırık.")
	r.tap(button(t, s.obj, "Dosya ekle"))
	r.wantScreen(screenFiles)
	p := r.k.files
	if len(p.entries) != 2 || !strings.Contains(visibleText(p.obj), "tarama.png") {
		t.Fatalf("picker lists %v", p.entries)
	}
	for _, e := range p.entries {
		if e.Name == "boş.pdf" {
			p.onAdd(e)
		}
	}
	r.k.Wait()
	r.wantScreen(screenFiles)
	if !strings.Contains(p.errs.Text, "«boş.pdf»") || !strings.Contains(p.errs.Text, "boş") {
		t.Fatalf("an empty file says %q", p.errs.Text)
	}
	for _, e := range p.entries {
		if e.Name == "tarama.png" {
			p.onAdd(e)
		}
	}
	r.k.Wait()
	r.wantScreen(screenComplaint)
	if len(s.attached) != 1 || s.attached[0].Size != int64(len(data)) || !strings.Contains(s.files.Text, "tarama.png") ||
		s.description.Text != "Kaldırım kırık." {
		t.Fatalf("attached %+v, listed %q, description %q", s.attached, s.files.Text, s.description.Text)
	}
}
