package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/cups"
	"github.com/kocasinan/gise/app/keys"
	"github.com/kocasinan/gise/app/sqlite"
	gsync "github.com/kocasinan/gise/sync"
)

func init() {
	subcommands["doctor"] = subcommand{summary: "check the database, the key, the disk, the clock, the printers and the central (--json; exit 1 if any check fails)", run: runDoctor}
}

// Statuses of a doctor check.
const (
	checkOK   = "ok"
	checkWarn = "warn" // worth a look; not a failure
	checkFail = "fail" // the terminal cannot work right until it is fixed
	checkSkip = "skip" // does not apply here (no printer set, not enrolled)
)

// checkResult is one line of gise doctor's report.
type checkResult struct {
	Name   string         `json:"name"`
	Title  string         `json:"title"`
	Status string         `json:"status"`
	Detail string         `json:"detail"`
	Data   map[string]any `json:"data,omitempty"`
}

// doctorCheck is one check of gise doctor. Checks run in the order they
// were registered, each with what the earlier ones found (doctor). A
// check of a device a later issue adds (the document scanner, the MRZ
// reader) is a file of its own whose init calls registerCheck.
type doctorCheck struct {
	name  string // for --json and scripts
	title string // for people, Turkish
	run   func(ctx context.Context, d *doctor) checkResult
}

var doctorChecks []doctorCheck

// registerCheck adds a check to gise doctor, after those already there.
func registerCheck(c doctorCheck) { doctorChecks = append(doctorChecks, c) }

func init() {
	registerCheck(doctorCheck{"database", "Veritabanı", checkDatabase})
	registerCheck(doctorCheck{"key", "Terminal anahtarı", checkKey})
	registerCheck(doctorCheck{"disk", "Boş disk alanı", checkDisk})
	registerCheck(doctorCheck{"printers", "Yazıcılar", checkPrinters})
	registerCheck(doctorCheck{"central", "Merkez bağlantısı", checkCentral})
	registerCheck(doctorCheck{"clock", "Saat", checkClock})
}

// doctor is what the checks share: the settings, and what earlier checks
// found (a database and a key fit to open the store with, the central's
// answer).
type doctor struct {
	cfg    config.Config
	dbOK   bool
	sealer *keys.Sealer

	healthAsked bool
	central     string // the central's URL, "" when not enrolled
	health      gsync.ServerTime
	healthErr   error
	healthTook  time.Duration
}

func runDoctor(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d := &doctor{cfg: cfg}
	var results []checkResult
	failed := 0
	for _, c := range doctorChecks {
		r := c.run(ctx, d)
		r.Name, r.Title = c.name, c.title
		if r.Status == checkFail {
			failed++
		}
		results = append(results, r)
	}
	if *asJSON {
		out, _ := json.MarshalIndent(map[string]any{"ok": failed == 0, "checks": results}, "", "  ")
		fmt.Println(string(out))
	} else {
		printDoctor(results, failed)
	}
	if failed > 0 {
		return reported{fmt.Errorf("doctor: %d checks failed", failed)}
	}
	return nil
}

var statusMark = map[string]string{checkOK: "TAMAM", checkWarn: "DİKKAT", checkFail: "HATA", checkSkip: "—"}

func printDoctor(results []checkResult, failed int) {
	for _, r := range results {
		fmt.Printf("%-7s %-20s %s\n", statusMark[r.Status], r.Title, r.Detail)
	}
	if failed == 0 {
		fmt.Println("Sonuç: bütün denetimler geçti.")
	} else {
		fmt.Printf("Sonuç: %d denetim başarısız; yukarıdaki HATA satırları ne yapılacağını söylüyor.\n", failed)
	}
}

func checkDatabase(ctx context.Context, d *doctor) checkResult {
	path := d.cfg.DatabasePath()
	if !keys.DatabaseExists(path) {
		return checkResult{Status: checkSkip, Detail: "Veritabanı yok (yeni terminal): ilk başlatmada oluşturulur.", Data: map[string]any{"path": path}}
	}
	r, err := sqlite.Inspect(ctx, path, true)
	data := map[string]any{"path": path, "integrity_check": r.Check, "took_ms": r.Took.Milliseconds(),
		"schema_version": r.SchemaVersion, "program_schema_version": sqlite.LatestSchemaVersion()}
	if info, err := os.Stat(path); err == nil {
		data["size_bytes"] = info.Size()
	}
	if err != nil {
		return checkResult{Status: checkFail, Detail: app.ErrorMessage(err) + " (" + r.Check + ")", Data: data}
	}
	d.dbOK = true
	detail := fmt.Sprintf("Bütünlük denetimi tamam (integrity_check, %d ms); şema sürümü %d.", r.Took.Milliseconds(), r.SchemaVersion)
	if r.SchemaVersion > sqlite.LatestSchemaVersion() {
		return checkResult{Status: checkWarn, Detail: detail + fmt.Sprintf(" Program daha eski (şema %d): programı güncelleyin.", sqlite.LatestSchemaVersion()), Data: data}
	}
	return checkResult{Status: checkOK, Detail: detail, Data: data}
}

func checkKey(ctx context.Context, d *doctor) checkResult {
	path := keys.DefaultPath(d.cfg.DataDir)
	data := map[string]any{"path": path}
	info, err := os.Stat(path)
	if err != nil {
		if keys.DatabaseExists(d.cfg.DatabasePath()) {
			return checkResult{Status: checkFail, Detail: app.MsgKeyMissing, Data: data}
		}
		return checkResult{Status: checkSkip, Detail: "Anahtar yok (yeni terminal): ilk başlatmada oluşturulur; sonra gise key backup ile yedekleyin.", Data: data}
	}
	data["mode"] = fmt.Sprintf("%04o", info.Mode().Perm())
	s, err := keys.Load(path)
	if err != nil {
		return checkResult{Status: checkFail, Detail: app.MsgKeyUnreadable + " (" + err.Error() + ")", Data: data}
	}
	data["fingerprint"] = s.Fingerprint()
	if !d.dbOK {
		d.sealer = s
		return checkResult{Status: checkWarn, Detail: "Anahtar okundu (izinler " + data["mode"].(string) + "), ama veritabanıyla denetlenemedi.", Data: data}
	}
	opened, err := sqlite.CheckKey(ctx, d.cfg.DatabasePath(), s)
	if err != nil {
		return checkResult{Status: checkFail, Detail: app.ErrorMessage(err), Data: data}
	}
	d.sealer = s
	data["opens_database"] = opened
	if !opened {
		return checkResult{Status: checkOK, Detail: "Anahtar yerinde, izinler " + data["mode"].(string) + "; veritabanında henüz mühürlü kayıt yok.", Data: data}
	}
	return checkResult{Status: checkOK, Detail: "Anahtar yerinde, izinler " + data["mode"].(string) + ", veritabanının kayıtlarını açıyor (parmak izi " + s.Fingerprint() + ").", Data: data}
}

func checkDisk(_ context.Context, d *doctor) checkResult {
	dir := d.cfg.DataDir
	for {
		if _, err := os.Stat(dir); err == nil || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	free, err := sqlite.FreeBytes(dir)
	floor := uint64(max(d.cfg.Storage.MinFreeMB, 0)) << 20
	data := map[string]any{"path": dir, "free_bytes": free, "floor_bytes": floor}
	switch {
	case err != nil:
		return checkResult{Status: checkFail, Detail: err.Error(), Data: data}
	case free < floor:
		return checkResult{Status: checkFail, Detail: fmt.Sprintf("Veri klasörünün diskinde %d MB boş yer var, alt sınır %d MB (storage.min_free_mb). Yer açın (eski yedekler, günlükler) ya da bilgi işlem birimine haber verin: disk dolarsa kayıt yazılamaz.", free>>20, d.cfg.Storage.MinFreeMB), Data: data}
	}
	return checkResult{Status: checkOK, Detail: fmt.Sprintf("%d MB boş (alt sınır %d MB).", free>>20, d.cfg.Storage.MinFreeMB), Data: data}
}

func checkPrinters(ctx context.Context, d *doctor) checkResult {
	p := d.cfg.Printer
	if p.Name == "" {
		return checkResult{Status: checkSkip, Detail: "Yazıcı ayarlanmamış (printer.name)."}
	}
	queues := []string{p.Name}
	if p.NoticeQueue() != p.Name {
		queues = append(queues, p.NoticeQueue())
	}
	data := map[string]any{}
	var bad []string
	for _, q := range queues {
		st, err := cups.New(nil, slog.New(slog.DiscardHandler)).CheckQueue(ctx, q)
		data[q] = map[string]any{"exists": st.Exists, "accepting": st.Accepting, "stopped": st.Stopped, "message": st.Message}
		switch {
		case err != nil:
			bad = append(bad, q+": yazdırma sistemi (CUPS) yanıt vermiyor")
		case !st.Exists:
			bad = append(bad, q+": CUPS'ta böyle bir kuyruk yok")
		case !st.Accepting:
			bad = append(bad, q+": kuyruk iş kabul etmiyor (cupsaccept "+q+")")
		case st.Stopped:
			bad = append(bad, q+": kuyruk durdurulmuş (cupsenable "+q+")")
		}
	}
	if len(bad) > 0 {
		return checkResult{Status: checkFail, Detail: strings.Join(bad, "; ") + ".", Data: data}
	}
	return checkResult{Status: checkOK, Detail: strings.Join(queues, ", ") + ": kuyruk var ve iş kabul ediyor.", Data: data}
}

// askCentral calls GET /v1/health once, on the enrolment's URL (or the
// configuration's), with the terminal's pin and plain-HTTP settings.
func (d *doctor) askCentral(ctx context.Context) {
	if d.healthAsked {
		return
	}
	d.healthAsked = true
	s := gsync.Settings{BaseURL: d.cfg.Central.URL, PinSHA256: d.cfg.Central.PinSHA256, AllowPlainHTTP: d.cfg.Central.AllowPlainHTTP}
	if d.dbOK && d.sealer != nil {
		if store, err := sqlite.Open(ctx, d.cfg.DatabasePath(), d.sealer); err == nil {
			if e, err := storedEnrolment(ctx, d.cfg, store); err == nil {
				s.BaseURL = e.CentralURL
			}
			store.Close()
		}
	}
	if v := os.Getenv("GISE_CENTRAL_URL"); v != "" {
		s.BaseURL = v
	}
	if d.central = s.BaseURL; d.central == "" {
		return
	}
	c, err := gsync.NewClient(s, 10*time.Second)
	if err != nil {
		d.healthErr = err
		return
	}
	defer c.Close()
	start := time.Now()
	d.health, d.healthErr = c.Health(ctx)
	d.healthTook = time.Since(start)
}

func checkCentral(ctx context.Context, d *doctor) checkResult {
	d.askCentral(ctx)
	data := map[string]any{"url": d.central}
	switch {
	case d.central == "":
		return checkResult{Status: checkSkip, Detail: "Terminal merkeze kayıtlı değil; kayıtlar bu terminalde bekliyor."}
	case d.healthErr != nil:
		data["error"] = d.healthErr.Error()
		return checkResult{Status: checkFail, Detail: "Merkeze ulaşılamadı (" + d.central + "/v1/health): " + d.healthErr.Error() + ". Ağ bağlantısını denetleyin; sürerse bilgi işlem birimine haber verin.", Data: data}
	}
	data["took_ms"] = d.healthTook.Milliseconds()
	return checkResult{Status: checkOK, Detail: fmt.Sprintf("%s yanıt verdi (%d ms).", d.central, d.healthTook.Milliseconds()), Data: data}
}

func checkClock(ctx context.Context, d *doctor) checkResult {
	d.askCentral(ctx)
	local := time.Now()
	data := map[string]any{"local": local.Format(time.RFC3339)}
	if d.central == "" || d.healthErr != nil {
		return checkResult{Status: checkSkip, Detail: "Merkezin saati alınamadı; yerel saat " + local.Format("02.01.2006 15:04:05") + ".", Data: data}
	}
	// The Date header is the central's clock as HTTP carries it; the body's
	// time when a proxy dropped the header.
	skew := d.health.Skew
	if !d.health.Date.IsZero() {
		skew = d.health.Date.Sub(local.Add(-d.healthTook / 2)).Round(time.Second)
	}
	data["central"], data["skew_seconds"] = d.health.Date.Format(time.RFC3339), int(skew.Seconds())
	if skew > gsync.MaxClockSkew || skew < -gsync.MaxClockSkew {
		return checkResult{Status: checkFail, Detail: fmt.Sprintf("Bu terminalin saati merkezden %d sn farklı (en çok 120 sn). Saati düzeltin (NTP); yanlış saat doğrulama kodlarını ve kayıt saatlerini bozar.", int(skew.Seconds())), Data: data}
	}
	return checkResult{Status: checkOK, Detail: fmt.Sprintf("Merkezle fark %d sn.", int(skew.Seconds())), Data: data}
}
