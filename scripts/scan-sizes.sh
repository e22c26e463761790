#!/usr/bin/env bash
# Prints how large a scanned A4 page is as scanimage writes it (JPEG,
# libjpeg quality 75, colour 4:2:0), and so how many pages fit in one
# 20 MiB attachment, for each mode and resolution "Tara" offers. The page is
# synthetic: 42 lines of typed Turkish text, a red stamp and, in colour,
# off-white paper, with a scanner's sensor noise (Gaussian, attenuated to
# 0.25) added at the scan resolution. Real pages vary: handwriting, stamps
# and photos make them larger, a clean laser print smaller.
# Needs ImageMagick (convert) and DejaVu Sans. Usage: scripts/scan-sizes.sh
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
text=$(for i in $(seq 42); do
  echo "Kocasinan Belediye Başkanlığına; mahallemizdeki sokak lambaları $i haftadır"
done)
convert -size 2480x3508 xc:white -font DejaVu-Sans -pointsize 34 -fill black \
  -interline-spacing 22 -annotate +200+300 "$text" "$dir/page.png"
limit=$((20 << 20))
echo "| mode | dpi | one page | pages in 20 MiB |"
echo "|---|---|---|---|"
for mode in grey colour; do
  for dpi in 150 200 300 600; do
    s=$((dpi * 100 / 300))
    args=(-resize "$s%")
    if [ "$mode" = colour ]; then
      r=$((250 * dpi / 300))
      args+=(-fill '#f3efe4' -opaque white -fill none -stroke '#c0282d' -strokewidth $((14 * dpi / 300))
        -draw "circle $((1950 * dpi / 300)),$((2950 * dpi / 300)) $((1950 * dpi / 300)),$((2950 * dpi / 300 - r))"
        -sampling-factor 2x2)
    else
      args+=(-colorspace Gray)
    fi
    convert "$dir/page.png" "${args[@]}" -attenuate 0.25 +noise Gaussian -depth 8 -quality 75 "$dir/p.jpg"
    size=$(stat -c %s "$dir/p.jpg")
    # The PDF adds about a kilobyte a page (paper.ScanPDF embeds the JPEGs as they are).
    printf '| %s | %d | %d KB | %d |\n' "$mode" "$dpi" $(((size + 1023) / 1024)) $((limit / (size + 1024)))
  done
done
