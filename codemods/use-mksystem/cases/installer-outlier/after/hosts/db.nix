{ ... }:
{
  networking.domain = "db.example";
}
