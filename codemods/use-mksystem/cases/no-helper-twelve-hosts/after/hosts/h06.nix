{ ... }:
{
  networking.domain = "h06.example";
}
