package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/serialport"
)

func init() {
	registerCheck(doctorCheck{"mrz_reader", "MRZ okuyucusu", checkMRZReader})
}

// checkMRZReader opens the serial port of the identity-document reader
// when one is set, and lists the serial ports the system has. A reader
// that types like a keyboard needs no port and has nothing to check here.
func checkMRZReader(_ context.Context, d *doctor) checkResult {
	set := d.cfg.MRZReader
	data := map[string]any{"port": set.Port}
	if ports, err := serialport.Ports(); err == nil {
		data["ports"] = ports
	}
	if set.Port == "" {
		return checkResult{Status: checkSkip, Detail: "Seri bağlantılı MRZ okuyucusu ayarlanmamış (mrz_reader.port); klavye gibi yazan okuyucu ayar istemez.", Data: data}
	}
	baud := set.Baud
	if baud == 0 {
		baud = serialport.DefaultBaud
	}
	data["baud"] = baud
	r, err := serialport.Open(set.Port, baud, serialport.DefaultQuiet)
	switch {
	case app.ErrorCode(err) == app.ECONFLICT:
		// The running kiosk holds the port: that is the reader in use.
		return checkResult{Status: checkWarn, Detail: set.Port + ": " + app.ErrorMessage(err) + " (Gişe açıksa bu olağandır.)", Data: data}
	case err != nil:
		data["error"] = err.Error()
		return checkResult{Status: checkFail, Detail: set.Port + ": " + app.ErrorMessage(err) + availablePorts(data), Data: data}
	}
	r.Close()
	return checkResult{Status: checkOK, Detail: fmt.Sprintf("%s açıldı (%d baud).", set.Port, baud), Data: data}
}

// availablePorts names the ports there are, for a port that is wrong.
func availablePorts(data map[string]any) string {
	ports, _ := data["ports"].([]string)
	if len(ports) == 0 {
		return " Sistemde seri bağlantı noktası bulunamadı."
	}
	return " Sistemdeki bağlantı noktaları: " + strings.Join(ports, ", ") + "."
}
