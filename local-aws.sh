# Sourced by run.sh and test.sh: makes sure a Python with moto is there. moto's server is the local edge's SQS and
# EventBridge (local-edge/.../queues/LocalAws.java looks for python3.11, python3 and pyenv's shim, or takes
# $LOCAL_AWS_PYTHON). When none of them imports moto, a virtualenv under ~/.cache/image-scaler-moto gets
# moto[server] 5.2.1 from PyPI once (the only step that needs PyPI), and LOCAL_AWS_PYTHON points at it.
if [ -z "${LOCAL_AWS_PYTHON:-}" ]; then
  _moto_found=""
  for _py in python3.11 python3 "$HOME/.pyenv/shims/python3.11"; do
    if command -v "$_py" >/dev/null 2>&1 && "$_py" -c 'import moto.server' >/dev/null 2>&1; then
      _moto_found=1
      break
    fi
  done
  if [ -z "$_moto_found" ]; then
    _venv="$HOME/.cache/image-scaler-moto"
    if ! "$_venv/bin/python" -c 'import moto.server' >/dev/null 2>&1; then
      echo "local-aws.sh: no Python with moto; installing moto[server]==5.2.1 into $_venv" >&2
      python3 -m venv "$_venv" && "$_venv/bin/pip" install -q 'moto[server]==5.2.1' \
        || echo "local-aws.sh: moto could not be installed; the local edge will not start (see README)" >&2
    fi
    export LOCAL_AWS_PYTHON="$_venv/bin/python"
  fi
  unset _moto_found _py _venv
fi
