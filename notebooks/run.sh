#!/usr/bin/env bash
# Executes every notebook headlessly on Deno's Jupyter kernel (from the npm package `deno`) and
# fails on the first cell error. Needs: `npm run build`, and Jupyter's nbconvert (Debian:
# jupyter-nbconvert). The kernelspec is written to a temporary JUPYTER_PATH, so nothing is
# installed in the user's Jupyter setup; executed copies go to a temporary folder, so the
# notebooks in git stay without outputs.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd .. && pwd)"
# The npm package `deno` ships its binary in a per-platform optional dependency
# (@deno/linux-x64-glibc, ...); its own install helper finds it locally, it downloads nothing.
deno="$(cd "$root" && node -e "process.stdout.write(require('deno/install_api.cjs').runInstall())")" ||
  { echo "notebooks: deno is missing (npm install)" >&2; exit 1; }
command -v jupyter-nbconvert >/dev/null || { echo "notebooks: jupyter-nbconvert is missing (apt-get install jupyter-nbconvert)" >&2; exit 1; }
[ -f "$root/dist/src/index.js" ] || { echo "notebooks: build first (npm run build)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/kernels/deno"
cat > "$work/kernels/deno/kernel.json" <<JSON
{ "argv": ["$deno", "jupyter", "--kernel", "--conn", "{connection_file}"],
  "display_name": "Deno", "language": "typescript",
  "env": { "DENO_NO_UPDATE_CHECK": "1", "DENO_NO_PROMPT": "1", "DENO_DIR": "$work/deno-cache" } }
JSON
export JUPYTER_PATH="$work" JUPYTER_DATA_DIR="$work/data" JUPYTER_RUNTIME_DIR="$work/runtime" JUPYTER_CONFIG_DIR="$work/config"

# NOTEBOOKS_OUT=DIR keeps the executed copies (with outputs) for a look.
out="${NOTEBOOKS_OUT:-$work/out}"
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=(*.ipynb)
for nb in "${notebooks[@]}"; do
  echo "notebook: $nb"
  if ! jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=deno \
      --ExecutePreprocessor.timeout=600 --output-dir "$out" "$nb"; then
    echo "notebook FAILED: $nb" >&2
    exit 1
  fi
done
echo "notebooks: ${#notebooks[@]} executed"
