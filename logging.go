package main

import (
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// openLog sends the program's log to a size-rotated file under the data
// directory (logs/gise.log, 10 MB a file, five kept). Personal data never
// reaches it: the domain types mask themselves and the services log ids.
func openLog(dataDir string) (*slog.Logger, func(), error) {
	dir := filepath.Join(dataDir, "logs")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	out := &lumberjack.Logger{Filename: filepath.Join(dir, "gise.log"), MaxSize: 10, MaxBackups: 5, Compress: true}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: slog.LevelInfo}))
	slog.SetDefault(logger)
	return logger, func() { _ = out.Close() }, nil
}
