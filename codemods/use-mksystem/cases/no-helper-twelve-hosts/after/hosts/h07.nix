{ ... }:
{
  networking.domain = "h07.example";
}
