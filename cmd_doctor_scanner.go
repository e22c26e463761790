package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/sane"
)

func init() {
	registerCheck(doctorCheck{"scanner", "Tarayıcı", checkScanner})
}

// checkScanner lists the scanners SANE finds and opens the one chosen
// (scanner.device) with its settings, as "Tara" would.
func checkScanner(ctx context.Context, d *doctor) checkResult {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second) // network discovery takes seconds
	defer cancel()
	sc := d.cfg.Scanner
	s := sane.New(nil)
	list, listErr := s.Devices(ctx)
	names := make([]string, len(list))
	for i, dev := range list {
		names[i] = dev.Name
	}
	data := map[string]any{"device": sc.Device, "devices": names}
	found := "SANE'nin bulduğu tarayıcı yok."
	if len(list) > 0 {
		found = "SANE'nin bulduğu tarayıcılar: " + strings.Join(names, ", ") + "."
	}
	switch {
	case sc.Device == "" && app.ErrorCode(listErr) == app.EScanMissing:
		return checkResult{Status: checkSkip, Detail: "Tarayıcı seçilmemiş; tarama programı (sane-utils) da kurulu değil.", Data: data}
	case sc.Device == "":
		return checkResult{Status: checkSkip, Detail: "Tarayıcı seçilmemiş (scanner.device): Yönetim ekranında seçin. " + found, Data: data}
	}
	req := app.ScanRequest{Device: sc.Device, Source: app.ScanSource(sc.Source), Mode: app.ScanMode(sc.Mode), Resolution: sc.Resolution}
	p, err := s.Probe(ctx, req)
	if err != nil {
		data["error"] = err.Error()
		return checkResult{Status: checkFail, Detail: sc.Device + ": " + app.ErrorMessage(err) + " " + found, Data: data}
	}
	data["sources"], data["modes"], data["options"] = p.Sources, p.Modes, p.Args
	return checkResult{Status: checkOK, Detail: fmt.Sprintf("%s yanıt veriyor; tarama ayarı: %s.", sc.Device, strings.Join(p.Args, " ")), Data: data}
}
