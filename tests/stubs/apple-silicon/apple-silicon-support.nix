{ boot.kernelParams = [ "stub-asahi" ]; }
