package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/bundle"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
	gsync "github.com/kocasinan/gise/sync"
)

func init() {
	subcommands["export"] = subcommand{
		summary: "write the pending records to a USB stick for a field office with no network (--to DIR); nothing is marked delivered",
		run:     runExport,
	}
}

// runExport writes the pending records and their attachments into DIR as
// signed, sealed bundles (docs/BUNDLE.md), audited as cli:<OS user>.
func runExport(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	to := fs.String("to", "", "the folder to write to: the stick's mount point, e.g. /media/gise/KINGSTON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" || fs.NArg() > 0 {
		return errors.New("usage: gise export --to DIR")
	}
	usb, store, err := openUSB(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	out, err := usb.Export(ctx, cliActor(), *to, func(done, total int) {
		fmt.Fprintf(os.Stderr, "\r%d / %d records", done, total)
	})
	if app.ErrorCode(err) == app.ENOTFOUND && bundle.RefusalCode(err) == "" {
		fmt.Println(app.ErrorMessage(err))
		return nil
	}
	if err != nil {
		return usbError(err)
	}
	fmt.Fprintln(os.Stderr)
	for _, b := range out {
		fmt.Printf("written: %s (%d records, outbox %d–%d)\n", b.File, len(b.Records), b.FirstSeq, b.LastSeq)
	}
	fmt.Println("Kayıtlar merkezden yanıt gelene kadar \"USB'de\" görünür ve ağ gelirse yine de gönderilir.")
	return nil
}

// openUSB opens the store and the terminal's side of USB transfer.
func openUSB(ctx context.Context, cfg config.Config) (*gsync.USB, *sqlite.Store, error) {
	store, sealer, err := openExisting(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return &gsync.USB{Store: store, Keys: sealer}, store, nil
}

func cliActor() app.Actor { return app.Actor{Username: "cli:" + osUser(), Role: app.RoleAdmin} }

// usbError is what a refused export, import or receipt prints: the
// Turkish sentence and the refusal's code.
func usbError(err error) error {
	var r *bundle.Refusal
	if errors.As(err, &r) {
		return fmt.Errorf("%s (%s: %s)", r.Message(), r.Code, r.Detail)
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return errors.New(ae.Message)
	}
	return err
}
