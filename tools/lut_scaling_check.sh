#!/usr/bin/env bash
# The check of the register-bit scaling of lut_gemv periphery calibrations
# (reports/lut_scaling.h, docs/lut-gemv.md "Periphery at scale"; `make
# lut-scaling-check`). For each pair REFERENCE -> TARGET of designs the synthesis flow
# runs: both calibrated at gate level (tpe calibrate; the committed files of
# configs/calibration/ are reused, the others written to $OUT), the reference's scaled
# to the target (tpe calibrate --scale-from), and the periphery energy tpe sim gives on
# workloads/lut_scaling_gemv.csv with the target's own calibration and with the scaled
# one. Prints a Markdown table on stdout, progress on stderr; fails (status 1) when an
# estimate is more than 5% above gate level or tpe prints no figure. About 8 minutes on 2
# cores.
set -euo pipefail
tpe=${TPE:-build/tpe}
out=${OUT:-out/lut-scaling}
wl=workloads/lut_scaling_gemv.csv
mkdir -p "$out"

# the calibration of design $1: the committed one, else made once in $out
cal() {
  local n
  n=$(basename "$1" .yaml)
  if [ -f "configs/calibration/$n.json" ]; then
    echo "configs/calibration/$n.json"
    return
  fi
  if [ ! -f "$out/$n.json" ]; then
    echo "lut-scaling-check: calibrating $1" >&2
    "$tpe" calibrate --arch "$1" --out "$out/$n.json" >&2
  fi
  echo "$out/$n.json"
}

# the periphery's energy (uJ) of design $1 with calibration $2 on the workload
periphery() {
  "$tpe" sim --arch "$1" --workload "$wl" --energy "$2" --seed 1 2>/dev/null |
    sed -n 's/^energy: .*periphery \([0-9.]*\) uJ.*/\1/p'
}

echo "| reference | target | register bits | gate-level uJ | scaled uJ | scaled / gate-level |"
echo "|---|---|---|--:|--:|--:|"
for pair in configs/lut_scaling/wa.yaml:configs/lut_scaling/wb.yaml \
  configs/lut_scaling/aa.yaml:configs/lut_scaling/ab.yaml \
  configs/lut_scaling/mid_w.yaml:configs/lut_gemv_small.yaml \
  configs/lut_scaling/act_tiny.yaml:configs/lut_gemv_act_small.yaml; do
  ref=${pair%%:*}
  tgt=${pair##*:}
  ref_cal=$(cal "$ref")
  tgt_cal=$(cal "$tgt")
  scaled="$out/$(basename "$tgt" .yaml)_scaled.json"
  bits=$("$tpe" calibrate --arch "$tgt" --scale-from "$ref_cal" --out "$scaled" |
    sed -n 's/.*(\([0-9]*\) register bits, .* to \([0-9]*\) register bits .*/\1 -> \2/p')
  gate=$(periphery "$tgt" "$tgt_cal")
  est=$(periphery "$tgt" "$scaled")
  if [ -z "$bits" ] || [ -z "$gate" ] || [ -z "$est" ]; then
    echo "lut-scaling-check: tpe printed no figure for $ref -> $tgt" >&2
    exit 1
  fi
  ratio=$(awk -v e="$est" -v g="$gate" 'BEGIN { printf "%.3f", e / g }')
  echo "| $ref | $tgt | $bits | $gate | $est | $ratio |"
  # the claim of docs/lut-gemv.md: never more than 5% above gate level
  if awk -v r="$ratio" 'BEGIN { exit !(r > 1.05) }'; then
    echo "lut-scaling-check: $ref -> $tgt: the scaled estimate is $ratio of gate level, more" \
      "than 5% above" >&2
    status=1
  fi
done
exit "${status:-0}"
