{ boot.kernelParams = [ "stub-framework" ]; }
