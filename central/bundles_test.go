package central

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
)

// kit is a central with one enrolled device whose bundle keys are
// registered, and what a test needs to make that device's bundles by hand.
type kit struct {
	t      *testing.T
	s      *Server
	device string
	token  string
	sign   ed25519.PrivateKey
	recv   *age.X25519Identity // the device's receipt key
	to     age.Recipient       // the central's
}

func newKit(t *testing.T, open func(t *testing.T) *Server) *kit {
	t.Helper()
	ctx := context.Background()
	spoolDir = t.TempDir()
	t.Cleanup(func() { spoolDir = "" })
	s := open(t)
	t.Cleanup(func() { s.Close() })
	k := &kit{t: t, s: s, device: "KCS-SAHA-01"}
	var err error
	if k.token, err = s.EnrolDevice(ctx, k.device); err != nil {
		t.Fatal(err)
	}
	_, k.sign, _ = ed25519.GenerateKey(rand.Reader)
	k.recv, _ = age.GenerateX25519Identity()
	if err := s.RegisterDeviceKeys(ctx, k.device, k.sign.Public().(ed25519.PublicKey), k.recv.Recipient().String()); err != nil {
		t.Fatal(err)
	}
	keys, err := s.bundleKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k.to = keys.Age.Recipient()
	return k
}

// eachKit runs fn once a store (SQLite, and PostgreSQL when GISE_TEST_PG
// is set), each with a fresh kit.
func eachKit(t *testing.T, fn func(t *testing.T, k *kit)) {
	for _, sk := range storeKinds {
		t.Run(sk.name, func(t *testing.T) { fn(t, newKit(t, sk.open)) })
	}
}

// scanBytes is an attachment's content.
var scanBytes = []byte("%PDF-1.4\n% dilekçe\n%%EOF\n")

// records returns n record lines: complaints, the first naming the scan,
// and two audit events linked from the genesis hash; and the head.
func (k *kit) records(n int) ([]byte, *app.AuditHead) {
	var b bytes.Buffer
	sum := sha256.Sum256(scanBytes)
	sha := hex.EncodeToString(sum[:])
	for i := range n {
		atts := "[]"
		if i == 0 {
			atts = fmt.Sprintf(`[{"media_type":"application/pdf","name":"a.pdf","sha256":"%s","size":%d}]`, sha, len(scanBytes))
		}
		fmt.Fprintf(&b, `{"id":"%s","type":"complaint.filed","schema":1,"occurred_at":"2026-11-28T09:58:41+03:00","data":{"attachments":%s,"category_code":"TEM-01","description":"Çöp toplanmadı %d","tracking_code":"K7Q-M4X-%03d"}}`+"\n",
			uuid.Must(uuid.NewV7()), atts, i, i)
	}
	prev := app.GenesisHash
	var head *app.AuditHead
	for seq := 1; seq <= 2; seq++ {
		h := sha256.Sum256(fmt.Appendf(nil, "event %d %s", seq, k.device))
		hash := hex.EncodeToString(h[:])
		fmt.Fprintf(&b, `{"id":"%s","type":"audit.event","schema":1,"occurred_at":"2026-11-28T09:58:41+03:00","data":{"action":"bundle.exported","seq":%d,"prev_hash":"%s","hash":"%s"}}`+"\n",
			uuid.Must(uuid.NewV7()), seq, prev, hash)
		prev, head = hash, &app.AuditHead{Seq: int64(seq), Hash: hash}
	}
	return b.Bytes(), head
}

func (k *kit) manifest(records []byte, head *app.AuditHead) bundle.Manifest {
	return bundle.Manifest{Kind: bundle.KindBundle, ID: uuid.Must(uuid.NewV7()).String(), DeviceID: k.device,
		CreatedAt: time.Now().Format(time.RFC3339), FirstSeq: 1, LastSeq: int64(bytes.Count(records, []byte("\n"))),
		Records: bytes.Count(records, []byte("\n")), AuditHead: head}
}

func (k *kit) sources(records []byte) []bundle.Source {
	scan := bundle.BytesSource("", scanBytes)
	scan.Name = bundle.AttachmentPrefix + scan.SHA256
	return []bundle.Source{bundle.BytesSource(bundle.PartRecords, records), scan}
}

// good returns a valid bundle of n complaints and two audit events.
func (k *kit) good(n int) []byte {
	recs, head := k.records(n)
	return k.write(k.manifest(recs, head), k.sources(recs), k.sign)
}

func (k *kit) write(m bundle.Manifest, src []bundle.Source, sign ed25519.PrivateKey) []byte {
	k.t.Helper()
	var b bytes.Buffer
	if err := bundle.Write(&b, m, src, sign, k.to); err != nil {
		k.t.Fatal(err)
	}
	return b.Bytes()
}

// craft writes a bundle by hand from a valid one's manifest and parts,
// with the archive's entries changed by edit: what bundle.Write would
// never write.
func (k *kit) craft(edit func(entries []craftEntry) []craftEntry) []byte {
	k.t.Helper()
	recs, head := k.records(3)
	m := k.manifest(recs, head)
	src := k.sources(recs)
	for _, s := range src {
		m.Parts = append(m.Parts, s.Part)
	}
	m.Format, m.Version = bundle.Format, bundle.Version
	body, err := app.CanonicalJSON(m)
	if err != nil {
		k.t.Fatal(err)
	}
	sig := ed25519.Sign(k.sign, append([]byte(bundle.SignatureContext), body...))
	entries := []craftEntry{{name: "manifest.json", data: body}, {name: "manifest.sig", data: sig}}
	for _, s := range src {
		d, _ := s.Bytes()
		entries = append(entries, craftEntry{name: s.Name, data: d})
	}
	var plain bytes.Buffer
	tw := tar.NewWriter(&plain)
	for _, e := range edit(entries) {
		tw.WriteHeader(&tar.Header{Name: e.name, Typeflag: tar.TypeReg, Size: int64(len(e.data)), Mode: 0o600})
		tw.Write(e.data)
	}
	tw.Close()
	var out bytes.Buffer
	w, _ := age.Encrypt(&out, k.to)
	w.Write(plain.Bytes())
	w.Close()
	return out.Bytes()
}

type craftEntry struct {
	name string
	data []byte
}

func (k *kit) importBytes(b []byte) (Imported, error) {
	return k.s.ImportBundle(context.Background(), bytes.NewReader(b))
}

// stored counts what the central holds: records, the test's attachment,
// imported bundles, and import folders left behind.
func (k *kit) stored() string {
	k.t.Helper()
	ctx := context.Background()
	recs, _ := k.s.st.RecordCount(ctx)
	sum := sha256.Sum256(scanBytes)
	att, _ := k.s.st.HasAttachment(ctx, hex.EncodeToString(sum[:]))
	bundles, _ := k.s.st.BundleCount(ctx)
	spools, _ := filepath.Glob(filepath.Join(spoolDir, "gise-bundle-*"))
	return fmt.Sprintf("%d records, attachment %v, %d bundles, %d import folders", recs, att, bundles, len(spools))
}

const nothing = "0 records, attachment false, 0 bundles, 0 import folders"

func TestImportBundle(t *testing.T) { eachKit(t, testImportBundle) }

func testImportBundle(t *testing.T, k *kit) {
	out, err := k.importBytes(k.good(5))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Results) != 7 || out.Updates == 0 || len(out.Receipt) == 0 {
		t.Fatalf("import: %d results, %d updates, %d bytes of receipt", len(out.Results), out.Updates, len(out.Receipt))
	}
	for _, r := range out.Results {
		if r.Status != "created" {
			t.Fatalf("result %+v", r)
		}
	}
	if got := k.stored(); got != "7 records, attachment true, 1 bundles, 0 import folders" {
		t.Fatal(got)
	}
	// The receipt opens with the device's key and verifies under the central's.
	keys, _ := k.s.bundleKeys(context.Background())
	r, err := bundle.Open(bytes.NewReader(out.Receipt), bundle.DefaultLimits, k.recv, func(m bundle.Manifest) (ed25519.PublicKey, error) {
		return keys.Sign.Public().(ed25519.PublicKey), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := r.Manifest(); m.Kind != bundle.KindReceipt || m.Answers != out.BundleID || m.Records != 7 || m.DeviceID != k.device {
		t.Fatalf("receipt manifest %+v", m)
	}
}

// TestImportRefusals: each refusal of the issue, with a bundle made bad by
// hand in that one way, is refused with its code and a Turkish sentence,
// and the central stores nothing.
func TestImportRefusals(t *testing.T) {
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		name string
		file func(k *kit) []byte
		code string
	}{
		{"unknown device", func(k *kit) []byte {
			recs, head := k.records(3)
			m := k.manifest(recs, head)
			m.DeviceID = "KCS-BILINMEYEN-09"
			return k.write(m, k.sources(recs), k.sign)
		}, bundle.CodeUnknown},
		{"device enrolled but no key registered", func(k *kit) []byte {
			k.s.EnrolDevice(context.Background(), "KCS-SAHA-02")
			recs, head := k.records(3)
			m := k.manifest(recs, head)
			m.DeviceID = "KCS-SAHA-02"
			return k.write(m, k.sources(recs), k.sign)
		}, bundle.CodeUnknown},
		{"revoked device", func(k *kit) []byte {
			k.s.RevokeDevice(context.Background(), k.device)
			return k.good(3)
		}, bundle.CodeRevoked},
		{"signed with another key", func(k *kit) []byte {
			recs, head := k.records(3)
			return k.write(k.manifest(recs, head), k.sources(recs), stranger)
		}, bundle.CodeSignature},
		{"a byte changed", func(k *kit) []byte {
			b := k.good(3)
			b[len(b)-300] ^= 0x04
			return b
		}, bundle.CodeDamaged},
		{"truncated", func(k *kit) []byte {
			b := k.good(3)
			return b[:len(b)*2/3]
		}, bundle.CodeDamaged},
		{"an entry with a path outside the bundle", func(k *kit) []byte {
			return k.craft(func(e []craftEntry) []craftEntry {
				e[3].name = "../../attachments/" + e[3].name[len(bundle.AttachmentPrefix):]
				return e
			})
		}, bundle.CodePath},
		{"a part over its stated size", func(k *kit) []byte {
			return k.craft(func(e []craftEntry) []craftEntry {
				e[3].data = append(bytes.Clone(e[3].data), []byte("ve biraz daha")...)
				return e
			})
		}, bundle.CodePartTooLarge},
		{"a part not the one stated", func(k *kit) []byte {
			return k.craft(func(e []craftEntry) []craftEntry {
				e[2].data = bytes.Replace(e[2].data, []byte("TEM-01"), []byte("TEM-02"), 1)
				return e
			})
		}, bundle.CodePartHash},
		{"over-large", func(k *kit) []byte {
			bundleLimits.File = 2000
			return k.good(40)
		}, bundle.CodeTooLarge},
		{"records fewer than the manifest says", func(k *kit) []byte {
			recs, head := k.records(3)
			m := k.manifest(recs, head)
			m.Records++
			return k.write(m, k.sources(recs), k.sign)
		}, bundle.CodeRecords},
		{"audit events that do not follow each other", func(k *kit) []byte {
			recs, head := k.records(3)
			recs = bytes.Replace(recs, []byte(`"seq":2`), []byte(`"seq":3`), 1)
			head.Seq = 3
			return k.write(k.manifest(recs, head), k.sources(recs), k.sign)
		}, bundle.CodeAuditChain},
		{"audit events ending before the manifest's head", func(k *kit) []byte {
			recs, head := k.records(3)
			head.Seq++
			return k.write(k.manifest(recs, head), k.sources(recs), k.sign)
		}, bundle.CodeAuditChain},
		{"a receipt offered as a bundle", func(k *kit) []byte {
			recs, _ := k.records(1)
			m := bundle.Manifest{Kind: bundle.KindReceipt, ID: uuid.Must(uuid.NewV7()).String(), DeviceID: k.device,
				Answers: uuid.Must(uuid.NewV7()).String(), CreatedAt: time.Now().Format(time.RFC3339), Records: 1}
			return k.write(m, []bundle.Source{bundle.BytesSource(bundle.PartResults, recs)}, k.sign)
		}, bundle.CodeWrongKind},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			eachKit(t, func(t *testing.T, k *kit) {
				defer func() { bundleLimits = bundle.DefaultLimits }()
				_, err := k.importBytes(c.file(k))
				if got := bundle.RefusalCode(err); got != c.code {
					t.Fatalf("refusal %q (%v), want %q", got, err, c.code)
				}
				if msg := app.ErrorMessage(err); !strings.Contains(msg, "kaydedilmedi") && !strings.Contains(msg, "değil") {
					t.Errorf("sentence %q", msg)
				}
				if got := k.stored(); got != nothing {
					t.Fatalf("stored after a refusal: %s", got)
				}
			})
		})
	}
}

// TestImportReplayed: the same bundle a second time is refused and stores
// nothing more; the receipt issued the first time can be had again.
func TestImportReplayed(t *testing.T) { eachKit(t, testImportReplayed) }

func testImportReplayed(t *testing.T, k *kit) {
	file := k.good(3)
	first, err := k.importBytes(file)
	if err != nil {
		t.Fatal(err)
	}
	before := k.stored()
	_, err = k.importBytes(file)
	if bundle.RefusalCode(err) != bundle.CodeReplayed {
		t.Fatalf("replay: %v", err)
	}
	if after := k.stored(); after != before {
		t.Fatalf("a replay stored: %s → %s", before, after)
	}
	again, ok, err := k.s.IssuedReceipt(context.Background(), first.BundleID)
	if err != nil || !ok || !bytes.Equal(again.Receipt, first.Receipt) || again.ReceiptName != first.ReceiptName {
		t.Fatalf("issued receipt: ok %v, %v, name %q vs %q", ok, err, again.ReceiptName, first.ReceiptName)
	}
}

// TestPostBundle: POST /v1/bundles answers the receipt to any enrolled
// device, 409 to a replay, 422 with the code to a bad file and 413 to an
// over-large body; PUT /v1/device-keys answers the central's keys.
func TestPostBundle(t *testing.T) { eachKit(t, testPostBundle) }

func testPostBundle(t *testing.T, k *kit) {
	hs := httptest.NewServer(k.s.Handler())
	defer hs.Close()
	post := func(body []byte) (int, string, []byte) {
		req, _ := http.NewRequest("POST", hs.URL+"/v1/bundles", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+k.token)
		req.Header.Set("X-Device-Id", k.device)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), b
	}
	file := k.good(3)
	if code, ct, body := post(file); code != 200 || ct != "application/octet-stream" || !bytes.HasPrefix(body, []byte("age-encryption.org/v1")) {
		t.Fatalf("import: %d %s %q", code, ct, body[:min(len(body), 80)])
	}
	if code, _, body := post(file); code != 409 || !bytes.Contains(body, []byte(`"code":"replayed"`)) {
		t.Fatalf("replay: %d %s", code, body)
	}
	if code, _, body := post(file[:len(file)-10]); code != 422 || !bytes.Contains(body, []byte(`"code":"damaged"`)) {
		t.Fatalf("truncated: %d %s", code, body)
	}
	bundleLimits.File = 1000
	defer func() { bundleLimits = bundle.DefaultLimits }()
	if code, _, body := post(k.good(30)); code != 413 {
		t.Fatalf("over-large: %d %s", code, body)
	}
	// A body of unknown length, over the limit, is cut off as it streams.
	req, _ := http.NewRequest("POST", hs.URL+"/v1/bundles", io.MultiReader(bytes.NewReader(k.good(30))))
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("X-Device-Id", k.device)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Fatalf("over-large, streamed: %d", resp.StatusCode)
	}
	if got := k.stored(); got != "5 records, attachment true, 1 bundles, 0 import folders" {
		t.Fatalf("stored: %s", got)
	}
	// The device keys endpoint answers the central's keys.
	req, _ = http.NewRequest("PUT", hs.URL+"/v1/device-keys", strings.NewReader(fmt.Sprintf(`{"sign_key":"%s","age_recipient":"%s"}`,
		base64.StdEncoding.EncodeToString(k.sign.Public().(ed25519.PublicKey)), k.recv.Recipient())))
	req.Header.Set("Authorization", "Bearer "+k.token)
	req.Header.Set("X-Device-Id", k.device)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	keys, _ := k.s.bundleKeys(context.Background())
	if resp.StatusCode != 200 || !bytes.Contains(b, []byte(keys.Age.Recipient().String())) {
		t.Fatalf("device keys: %d %s", resp.StatusCode, b)
	}
}
