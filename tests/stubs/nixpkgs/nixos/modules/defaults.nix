# A few option defaults of real NixOS modules that test flakes read.
{
  options.services.tailscale.port = {
    _type = "option";
    default = 41641;
  };
}
