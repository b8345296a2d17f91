{ writeShellScriptBin, qpdf }:
writeShellScriptBin "pdf-merge" "${qpdf}/bin/qpdf --empty --pages \"$@\" -- out.pdf"
