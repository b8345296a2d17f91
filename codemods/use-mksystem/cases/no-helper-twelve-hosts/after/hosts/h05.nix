{ ... }:
{
  networking.domain = "h05.example";
}
