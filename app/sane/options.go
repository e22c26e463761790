package sane

import (
	"math"
	"strconv"
	"strings"

	"github.com/kocasinan/gise/app"
)

// deviceOptions are the values a device offers for the options Gişe sets,
// as scanimage -A lists them; a nil list means the device has no such
// option (a scanner with one source has no --source).
type deviceOptions struct {
	sources     []string
	modes       []string
	resolutions []int // the listed values, or for a range its two ends
	resRange    bool
}

// parseOptions reads scanimage -A's lines for --source, --mode and
// --resolution, which look like
//
//	--source Flatbed|Automatic Document Feeder [Flatbed]
//	--resolution 75|150|300|600dpi [300]
//	--resolution 1..1200dpi (in steps of 1) [300]
func parseOptions(out string) deviceOptions {
	var o deviceOptions
	for _, line := range strings.Split(out, "\n") {
		name, values, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || strings.HasSuffix(values, "[inactive]") {
			continue
		}
		if i := strings.LastIndex(values, " ["); i >= 0 {
			values = values[:i]
		}
		switch name {
		case "--source":
			o.sources = strings.Split(values, "|")
		case "--mode":
			o.modes = strings.Split(values, "|")
		case "--resolution":
			o.resolutions, o.resRange = parseResolutions(values)
		}
	}
	return o
}

func parseResolutions(v string) ([]int, bool) {
	if i := strings.Index(v, " ("); i >= 0 {
		v = v[:i]
	}
	v = strings.TrimSuffix(v, "dpi")
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		a, errA := strconv.ParseFloat(lo, 64)
		b, errB := strconv.ParseFloat(hi, 64)
		if errA != nil || errB != nil {
			return nil, false
		}
		return []int{int(math.Ceil(a)), int(b)}, true
	}
	var list []int
	for _, f := range strings.Split(v, "|") {
		if n, err := strconv.ParseFloat(f, 64); err == nil {
			list = append(list, int(math.Round(n)))
		}
	}
	return list, false
}

// args maps a request onto the device's own values: --source, --mode and
// --resolution, each left out when the device has no such option.
// EINVALID when the device lacks the source or the colour asked for.
func (o deviceOptions) args(req app.ScanRequest) ([]string, error) {
	var args []string
	if o.sources != nil {
		src, err := pickSource(o.sources, req.Source)
		if err != nil {
			return nil, err
		}
		args = append(args, "--source", src)
	}
	if o.modes != nil {
		mode, ok := pickMode(o.modes, req.Mode)
		if !ok {
			return nil, app.ScanFault(app.ErrScanSetting, nil)
		}
		args = append(args, "--mode", mode)
	}
	if o.resolutions != nil {
		args = append(args, "--resolution", strconv.Itoa(o.resolution(req.Resolution)))
	}
	return args, nil
}

// isFeeder tells a feeder's name ("ADF", "ADF Front", "Automatic Document
// Feeder") from the glass's ("Flatbed", "Platen").
func isFeeder(v string) bool {
	l := strings.ToLower(v)
	return strings.Contains(l, "adf") || strings.Contains(l, "feeder") || strings.Contains(l, "document")
}

// pickSource returns the device's first value for the source asked for;
// for the feeder the single-sided one comes first on every backend seen
// ("ADF|ADF Duplex", "ADF Front|ADF Back|ADF Duplex").
func pickSource(values []string, want app.ScanSource) (string, error) {
	for _, v := range values {
		l := strings.ToLower(v)
		if want == app.SourceFeeder && isFeeder(v) && !strings.Contains(l, "duplex") && !strings.Contains(l, "back") {
			return v, nil
		}
		if want == app.SourceFlatbed && !isFeeder(v) && !strings.Contains(l, "transparen") && !strings.Contains(l, "film") {
			return v, nil
		}
	}
	if want == app.SourceFeeder {
		return "", app.ScanFault(app.ErrScanNoFeeder, nil)
	}
	return "", app.ScanFault(app.ErrScanNoFlatbed, nil)
}

// pickMode returns the device's value for colour or grey: the plain one
// ("Color", "True Gray") before a variant ("24bit Color[Fast]",
// "Gray[Error Diffusion]", which dithers).
func pickMode(values []string, want app.ScanMode) (string, bool) {
	words := []string{"color", "colour"}
	if want == app.ModeGrey {
		words = []string{"gray", "grey"}
	}
	has := func(v string) bool {
		l := strings.ToLower(v)
		return strings.Contains(l, words[0]) || strings.Contains(l, words[1])
	}
	for _, plain := range []bool{true, false} {
		for _, v := range values {
			if has(v) && (!plain || !strings.Contains(v, "[")) {
				return v, true
			}
		}
	}
	return "", false
}

// resolution is the device's nearest to dpi; between two, the finer.
func (o deviceOptions) resolution(dpi int) int {
	if o.resRange {
		return min(max(dpi, o.resolutions[0]), o.resolutions[1])
	}
	best := o.resolutions[0]
	for _, r := range o.resolutions[1:] {
		d, bd := abs(r-dpi), abs(best-dpi)
		if d < bd || (d == bd && r > best) {
			best = r
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
