package sane

import (
	"slices"
	"testing"

	"github.com/kocasinan/gise/app"
)

// Option lines as scanimage -A prints them for backends a counter meets.
var optionListings = map[string]string{
	"test": `  Scan Mode:
    --mode Gray|Color [Gray]
    --depth 1|8|16 [8]
    --resolution 1..1200dpi (in steps of 1) [0.000762939]
    --source Flatbed|Automatic Document Feeder [Flatbed]`,
	"airscan": `Options specific to device 'airscan:e0:Kyocera ECOSYS M2540dn':
  Standard:
    --resolution 75|100|150|200|300|600dpi [300]
    --mode Color|Gray [Color]
    --source Flatbed|ADF|ADF Duplex [Flatbed]`,
	"hpaio": `    --mode Lineart|Gray|Color [Lineart]
    --resolution 75|100|150|200|300|600|1200dpi [75]
    --source Flatbed|ADF|Duplex [Flatbed]`,
	"brother": `    --mode Black & White|Gray[Error Diffusion]|True Gray|24bit Color[Fast]|24bit Color [24bit Color]
    --resolution 100|150|200|300|400|600|1200|2400|4800|9600dpi [200]
    --source FlatBed|Automatic Document Feeder(left aligned)|Automatic Document Feeder(centrally aligned) [Automatic Document Feeder(left aligned)]`,
	"fujitsu": `    --source ADF Front|ADF Back|ADF Duplex [ADF Front]
    --mode Lineart|Halftone|Gray|Color [Lineart]
    --resolution 50..600dpi (in steps of 1) [600]`,
	"flatbed only": `    --mode Lineart|Gray|Color [Color]
    --resolution 4800|2400|1200|600|300|150|100|75dpi [75]`,
	"inactive source": `    --mode Color|Gray [Color]
    --source Flatbed|ADF [inactive]
    --resolution 75.0|150.0|300.0dpi [150]`,
}

func TestArgsMapTheRequestOntoEachBackend(t *testing.T) {
	for _, tc := range []struct {
		listing string
		src     app.ScanSource
		mode    app.ScanMode
		dpi     int
		want    []string
		msg     string // the refusal, when want is nil
	}{
		{"test", app.SourceFeeder, app.ModeGrey, 200, []string{"--source", "Automatic Document Feeder", "--mode", "Gray", "--resolution", "200"}, ""},
		{"test", app.SourceFlatbed, app.ModeColour, 2400, []string{"--source", "Flatbed", "--mode", "Color", "--resolution", "1200"}, ""},
		{"airscan", app.SourceFeeder, app.ModeColour, 200, []string{"--source", "ADF", "--mode", "Color", "--resolution", "200"}, ""},
		{"airscan", app.SourceFlatbed, app.ModeGrey, 250, []string{"--source", "Flatbed", "--mode", "Gray", "--resolution", "300"}, ""},
		{"hpaio", app.SourceFeeder, app.ModeGrey, 150, []string{"--source", "ADF", "--mode", "Gray", "--resolution", "150"}, ""},
		{"brother", app.SourceFlatbed, app.ModeGrey, 300, []string{"--source", "FlatBed", "--mode", "True Gray", "--resolution", "300"}, ""},
		{"brother", app.SourceFeeder, app.ModeColour, 300, []string{"--source", "Automatic Document Feeder(left aligned)", "--mode", "24bit Color", "--resolution", "300"}, ""},
		{"fujitsu", app.SourceFeeder, app.ModeGrey, 40, []string{"--source", "ADF Front", "--mode", "Gray", "--resolution", "50"}, ""},
		{"fujitsu", app.SourceFlatbed, app.ModeGrey, 200, nil, app.ErrScanNoFlatbed.Message},
		{"flatbed only", app.SourceFlatbed, app.ModeGrey, 200, []string{"--mode", "Gray", "--resolution", "150"}, ""},
		{"inactive source", app.SourceFeeder, app.ModeGrey, 200, []string{"--mode", "Gray", "--resolution", "150"}, ""},
	} {
		o := parseOptions(optionListings[tc.listing])
		got, err := o.args(app.ScanRequest{Device: "d", Source: tc.src, Mode: tc.mode, Resolution: tc.dpi})
		switch {
		case tc.want == nil && (app.ErrorCode(err) != app.EINVALID || app.ErrorMessage(err) != tc.msg):
			t.Errorf("%s %s/%s: %v, want %q", tc.listing, tc.src, tc.mode, err, tc.msg)
		case tc.want != nil && (err != nil || !slices.Equal(got, tc.want)):
			t.Errorf("%s %s/%s/%d: %q, %v; want %q", tc.listing, tc.src, tc.mode, tc.dpi, got, err, tc.want)
		}
	}
}

func TestArgsRefuseAFeederTheDeviceLacks(t *testing.T) {
	o := parseOptions("    --source Flatbed|Transparency Adapter [Flatbed]\n    --mode Color|Gray [Color]")
	_, err := o.args(app.ScanRequest{Source: app.SourceFeeder, Mode: app.ModeGrey, Resolution: 200})
	if app.ErrorMessage(err) != app.ErrScanNoFeeder.Message {
		t.Fatalf("flatbed and film only, feeder asked: %v", err)
	}
	o = parseOptions("    --mode Lineart [Lineart]")
	if _, err := o.args(app.ScanRequest{Source: app.SourceFlatbed, Mode: app.ModeGrey, Resolution: 200}); app.ErrorMessage(err) != app.ErrScanSetting.Message {
		t.Fatalf("line art only, grey asked: %v", err)
	}
}
