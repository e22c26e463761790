package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// KioskCrashFile is where the kiosk session's launcher
// (packaging/gise-kiosk-session) notes each time the kiosk ended with a
// failure, one line each: "<RFC 3339 time> exit=N up=Ns pause=Ns".
const KioskCrashFile = "kiosk-crashes"

// A crash loop: this many failures within the last hour fail the check.
const crashLoop = 5

func init() {
	registerCheck(doctorCheck{"kiosk_session", "Kiosk oturumu", checkKioskSession})
}

// checkKioskSession reads the launcher's crash file: a failure in the last
// day is worth a look, a crash loop is a failure.
func checkKioskSession(_ context.Context, d *doctor) checkResult {
	crashes, err := readCrashes(filepath.Join(d.cfg.DataDir, KioskCrashFile))
	if os.IsNotExist(err) {
		return checkResult{Status: checkOK, Detail: "Kiosk hiç hatayla kapanmadı (ya da bu terminalde kiosk oturumu yok)."}
	}
	if err != nil {
		return checkResult{Status: checkWarn, Detail: err.Error()}
	}
	now := time.Now()
	var day, hour int
	for _, c := range crashes {
		if now.Sub(c.at) <= 24*time.Hour {
			day++
		}
		if now.Sub(c.at) <= time.Hour {
			hour++
		}
	}
	data := map[string]any{"last_day": day, "last_hour": hour, "total": len(crashes)}
	if day == 0 {
		return checkResult{Status: checkOK, Detail: fmt.Sprintf("Son 24 saatte hatayla kapanma yok (kayıtlı toplam %d).", len(crashes)), Data: data}
	}
	last := crashes[len(crashes)-1]
	data["last"], data["last_exit"] = last.at.Format(time.RFC3339), last.exit
	if hour >= crashLoop {
		return checkResult{Status: checkFail, Data: data, Detail: fmt.Sprintf("Kiosk sürekli kapanıyor: son bir saatte %d kez (son %s, çıkış kodu %s); oturum her seferinde daha uzun bekleyip yeniden açıyor. Nedeni için: journalctl -t gise-kiosk ve %s; bilgi işlem birimine haber verin.",
			hour, last.at.Format("02.01.2006 15:04"), last.exit, filepath.Join(d.cfg.DataDir, "logs", "gise.log"))}
	}
	return checkResult{Status: checkWarn, Data: data, Detail: fmt.Sprintf("Kiosk son 24 saatte %d kez hatayla kapandı ve yeniden açıldı (son %s, çıkış kodu %s). Ayrıntı: journalctl -t gise-kiosk.",
		day, last.at.Format("02.01.2006 15:04"), last.exit)}
}

// kioskCrash is one line of the crash file.
type kioskCrash struct {
	at   time.Time
	exit string
}

// readCrashes reads the crash file, oldest first; lines it cannot read are
// skipped (the launcher is a shell script; a cut-off line is possible).
func readCrashes(path string) ([]kioskCrash, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []kioskCrash
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		at, err := time.Parse(time.RFC3339, fields[0])
		if err != nil {
			continue
		}
		out = append(out, kioskCrash{at: at, exit: strings.TrimPrefix(fields[1], "exit=")})
	}
	return out, sc.Err()
}
