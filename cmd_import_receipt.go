package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
)

func init() {
	subcommands["import-receipt"] = subcommand{
		summary: "apply the central's receipt for a USB bundle (gise import-receipt FILE): results and updates in one transaction",
		run:     runImportReceipt,
	}
}

// runImportReceipt applies one receipt file, audited as cli:<OS user>.
func runImportReceipt(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("import-receipt", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: gise import-receipt FILE")
	}
	usb, store, err := openUSB(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	out, err := usb.ApplyReceipt(ctx, cliActor(), fs.Arg(0))
	if err != nil {
		return usbError(err)
	}
	fmt.Println(receiptSummary(out))
	return nil
}

// receiptSummary says what a receipt did, in Turkish, as the screen does.
func receiptSummary(o app.ReceiptOutcome) string {
	s := fmt.Sprintf("Yanıt uygulandı: %d kayıt merkeze ulaştı, %d çakışma, %d reddedilen, %d yanıtsız.",
		o.Delivered, o.Conflict, o.Rejected, o.Unanswered)
	switch {
	case o.UpdatesSkipped:
		s += " Güncellemeler ağdan zaten gelmişti."
	case o.UpdatesApplied > 0:
		s += fmt.Sprintf(" %d güncelleme alındı.", o.UpdatesApplied)
	}
	return s
}
