global using FriendlyChaoyang.Seeds;
