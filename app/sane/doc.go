// Package sane implements app.Scanner with SANE's scanimage (sane-utils),
// as app/cups prints with lp: a scan is one scanimage run in batch mode, each
// page a JPEG file that scanimage names on its standard output when the page
// is whole (--batch-print), progress read from its standard error (-p). USB
// scanners and network copiers (sane-airscan, eSCL/WSD) are the same to it:
// a SANE device name.
//
// The domain's settings (flatbed or feeder, colour or grey, a resolution)
// are mapped onto each device's own option values, which differ between
// backends ("ADF", "Automatic Document Feeder", "ADF Front"; "Color",
// "24bit Color"), read once a device from scanimage -A. scanimage's exit
// status is the SANE status of what failed (6 jammed, 8 cover open, 3 busy),
// and with its standard error gives each fault its Turkish sentence; a
// feeder that runs out after some pages ends the batch with status 0.
package sane
