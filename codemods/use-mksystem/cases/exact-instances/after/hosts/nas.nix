{ ... }:
{
  networking.domain = "nas.example";
}
