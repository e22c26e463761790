package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/kocasinan/gise/app/bundle"
	"github.com/kocasinan/gise/central"
	gsync "github.com/kocasinan/gise/sync"
)

// runCentralImport is `gise central import FILE`: the central's operator
// imports a bundle a field office sent on a stick and gets the receipt to
// carry back. A replay stores nothing; its receipt, made the first time,
// is written again for an operator who lost it.
func runCentralImport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("central import", flag.ContinueOnError)
	data, db := centralStore(fs)
	out := fs.String("receipt-to", "", "folder for the receipt (default: beside the bundle)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: gise central import [--data DIR | --db postgres://…] [--receipt-to DIR] FILE")
	}
	file := fs.Arg(0)
	if *out == "" {
		*out = filepath.Dir(file)
	}
	srv, err := central.OpenStore(ctx, *db, *data)
	if err != nil {
		return err
	}
	defer srv.Close()
	srv.Logger = slog.Default()
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	imp, err := srv.ImportBundle(ctx, bufio.NewReaderSize(f, 1<<20))
	if bundle.RefusalCode(err) == bundle.CodeReplayed {
		return reissue(ctx, srv, *out, imp, err)
	}
	if err != nil {
		return usbError(err)
	}
	counts := map[string]int{}
	for _, r := range imp.Results {
		counts[r.Status]++
	}
	fmt.Printf("imported %s from %s: %d created, %d duplicate, %d conflict, %d rejected; %d updates in the receipt\n",
		imp.BundleID, imp.DeviceID, counts["created"], counts["duplicate"], counts["conflict"], counts["rejected"], imp.Updates)
	return writeReceipt(*out, imp)
}

// writeReceipt writes the receipt atomically beside the bundle.
func writeReceipt(dir string, imp central.Imported) error {
	err := gsync.WriteAtomic(dir, imp.ReceiptName, func(w *bufio.Writer) error {
		_, err := w.Write(imp.Receipt)
		return err
	})
	if err != nil {
		return usbError(err)
	}
	fmt.Printf("receipt: %s (take it back to %s: gise import-receipt FILE, or its USB screen)\n", filepath.Join(dir, imp.ReceiptName), imp.DeviceID)
	return nil
}

// reissue writes again the receipt of a bundle imported before and
// reports the replay, which stored nothing.
func reissue(ctx context.Context, srv *central.Server, dir string, named central.Imported, refused error) error {
	if imp, ok, err := srv.IssuedReceipt(ctx, named.BundleID); err == nil && ok {
		fmt.Println("this bundle was imported before; nothing stored again. Its receipt, made then, is written again:")
		if err := writeReceipt(dir, imp); err != nil {
			return err
		}
	}
	return usbError(refused)
}
