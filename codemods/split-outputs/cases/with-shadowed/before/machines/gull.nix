{ boot.isContainer = true; }
