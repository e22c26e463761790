package ui

import (
	"bytes"
	"errors"
	"image"
	_ "image/jpeg" // thumbnails of JPEG scans
	_ "image/png"  // and of PNG ones
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/image/draw"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

// fileRoot is one folder the file picker may show: the scan folder, or a
// removable medium.
type fileRoot struct {
	Name string // a medium's label ("KINGSTON"); "" for the scan folder
	Path string // absolute, links resolved
}

// fileEntry is one thing the picker lists in a folder.
type fileEntry struct {
	Name     string
	Path     string
	Dir      bool
	Size     int64
	Modified time.Time
}

// attachable lists the file endings the picker shows (the types a complaint
// may carry, app.ValidateAttachments).
var attachable = []string{".pdf", ".jpg", ".jpeg", ".png"}

// fileRoots returns the folders the picker may show: the scan folder, and
// each medium mounted under the removable folders (/media/USER/STICK or
// /media/STICK). Folders that do not exist are left out.
func fileRoots(f config.Files) []fileRoot {
	var roots []fileRoot
	if dir, ok := resolved(expandHome(f.ScanFolder)); ok {
		roots = append(roots, fileRoot{Path: dir})
	}
	for _, base := range f.Removable {
		for _, m := range mounts(base) {
			if dir, ok := resolved(m); ok && !slices.ContainsFunc(roots, func(r fileRoot) bool { return r.Path == dir }) {
				roots = append(roots, fileRoot{Name: filepath.Base(dir), Path: dir})
			}
		}
	}
	return roots
}

// mounts lists the media under a removable folder: its folders, and one
// level deeper under a user's folder (udisks mounts at /media/USER/LABEL).
func mounts(base string) []string {
	var out []string
	entries, _ := os.ReadDir(base)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		p := filepath.Join(base, e.Name())
		inner, _ := os.ReadDir(p)
		user := len(inner) > 0
		for _, i := range inner {
			if !i.IsDir() {
				user = false
			}
		}
		if user {
			for _, i := range inner {
				out = append(out, filepath.Join(p, i.Name()))
			}
		} else {
			out = append(out, p)
		}
	}
	return out
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// resolved returns dir absolute with its links resolved, when it is a
// folder.
func resolved(dir string) (string, bool) {
	if dir == "" {
		return "", false
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", false
	}
	if fi, err := os.Stat(real); err != nil || !fi.IsDir() {
		return "", false
	}
	return real, true
}

// errOutside is a path that leads out of every root (a link to elsewhere
// on the disk, or "..").
var errOutside = app.Errorf(app.EPERMISSION, "Bu dosya tarama klasörünün ya da takılı belleğin dışında; yalnızca bu klasörlerdeki dosyalar eklenebilir.")

// within returns path with its links resolved when it lies inside one of
// roots, else errOutside.
func within(roots []fileRoot, path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", app.Errorf(app.ENOTFOUND, "Dosya artık yerinde değil; bellek çıkarılmış olabilir. Listeyi yenileyin.")
	}
	for _, r := range roots {
		if real == r.Path || strings.HasPrefix(real, r.Path+string(filepath.Separator)) {
			return real, nil
		}
	}
	return "", errOutside
}

// listFolder lists dir's folders and attachable files, folders first, then
// the newest files first (a scan just made is at the top). Hidden files and
// what leads out of roots are left out.
func listFolder(roots []fileRoot, dir string) ([]fileEntry, error) {
	real, err := within(roots, dir)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		return nil, app.Errorf(app.ENOTFOUND, "Klasör okunamadı; bellek çıkarılmış olabilir. Listeyi yenileyin.")
	}
	var out []fileEntry
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		p := filepath.Join(real, e.Name())
		target, err := within(roots, p)
		if err != nil {
			continue
		}
		fi, err := os.Stat(target)
		if err != nil {
			continue
		}
		if !fi.IsDir() && !slices.Contains(attachable, strings.ToLower(filepath.Ext(e.Name()))) {
			continue
		}
		out = append(out, fileEntry{Name: e.Name(), Path: p, Dir: fi.IsDir(), Size: fi.Size(), Modified: fi.ModTime()})
	}
	slices.SortStableFunc(out, func(a, b fileEntry) int {
		switch {
		case a.Dir != b.Dir:
			if a.Dir {
				return -1
			}
			return 1
		case a.Dir:
			return strings.Compare(a.Name, b.Name)
		default:
			return b.Modified.Compare(a.Modified)
		}
	})
	return out, nil
}

// readAttachable reads one file the clerk picked, refusing what lies
// outside the roots and what is over the contract's limit before reading
// it whole.
func readAttachable(roots []fileRoot, path string) ([]byte, error) {
	real, err := within(roots, path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(real)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, app.Errorf(app.EPERMISSION, "Bu dosya okunamıyor (izin yok); dosyayı tarama klasörüne kopyalayın.")
		}
		return nil, app.Errorf(app.ENOTFOUND, "Dosya artık yerinde değil; bellek çıkarılmış olabilir. Listeyi yenileyin.")
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > app.MaxAttachmentSize {
		return nil, app.FieldError("attachments", "Bir ek en fazla 20 MB olabilir; taramayı daha düşük çözünürlükte yapın.")
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(f); err != nil {
		return nil, app.Errorf(app.ENOTFOUND, "Dosya okunamadı; bellek çıkarılmış olabilir. Listeyi yenileyin.")
	}
	return b.Bytes(), nil
}

// thumbnail returns a picture file's image scaled to fit size pixels, or
// nil for a PDF or a file that does not decode.
func thumbnail(path string, size int) image.Image {
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".pdf" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	if cfg, _, err := image.DecodeConfig(f); err != nil || cfg.Width*cfg.Height > 80_000_000 {
		return nil // not a picture, or one too large to decode for a thumbnail
	}
	if _, err := f.Seek(0, 0); err != nil {
		return nil
	}
	src, _, err := image.Decode(f)
	if err != nil {
		return nil
	}
	b := src.Bounds()
	scale := float64(size) / float64(max(b.Dx(), b.Dy()))
	w, h := max(1, int(float64(b.Dx())*scale)), max(1, int(float64(b.Dy())*scale))
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst
}
