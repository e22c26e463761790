package main

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"github.com/kocasinan/gise/app"
	"github.com/kocasinan/gise/app/config"
	"github.com/kocasinan/gise/app/sqlite"
)

// Stamped by the build (Makefile: -ldflags -X main.version=… from git
// describe); a plain `go build` leaves these.
var (
	version   = "0.0.0-dev"
	commit    = "unknown"
	buildDate = "unknown"
)

func init() {
	subcommands["version"] = subcommand{summary: "the program's version, commit, build date, the database schema it writes, and the paths it uses", run: runVersion}
}

// runVersion prints what an IT person asks first on a support call. It
// opens nothing: it works on a terminal whose database cannot be opened.
func runVersion(_ context.Context, cfg config.Config, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("version takes no arguments")
	}
	path := configPath
	if path == "" {
		path = "(none: defaults)"
	}
	fmt.Printf("gise %s\ncommit: %s\nbuilt: %s (%s)\nschema: %d\nconfig: %s\ndata_dir: %s\n",
		version, commit, buildDate, runtime.Version(), sqlite.LatestSchema(), path, cfg.DataDir)
	return nil
}

// opensNothing tells the commands that touch no data directory.
func opensNothing(args []string) bool {
	return len(args) > 0 && (args[0] == "version" || args[0] == "help" || args[0] == "-h" || args[0] == "--help")
}

// refuseOtherOwner stops root from working in a data directory that
// belongs to another user (the package's gise): a WAL, a lock or a log
// file root created there would be root's, and the kiosk session could no
// longer open its own database.
func refuseOtherOwner(dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	owner, ok := ownerOf(dir)
	if !ok || owner == 0 {
		return nil
	}
	return app.Errorf(app.EPERMISSION, "Veri klasörü %s root'a değil başka bir kullanıcıya ait (uid %d). Komutu o "+
		"kullanıcı olarak çalıştırın, örneğin: sudo -u %s gise %s. Root'un orada oluşturacağı dosyaları kiosk açamaz.",
		dir, owner, ownerName(owner), commandLine())
}

// ownerOf returns the uid that owns path; false when it does not exist.
func ownerOf(path string) (uint32, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return st.Uid, true
}

// ownerName is the user name of uid, or the number when it has none.
func ownerName(uid uint32) string {
	if u, err := user.LookupId(strconv.Itoa(int(uid))); err == nil {
		return u.Username
	}
	return "#" + strconv.Itoa(int(uid))
}

// commandLine is the command as it was typed, for the sentence to repeat.
func commandLine() string { return strings.Join(os.Args[1:], " ") }
