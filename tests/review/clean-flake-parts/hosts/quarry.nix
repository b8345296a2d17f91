{
  networking.hostName = "quarry";
  system.stateVersion = "24.11";
}
