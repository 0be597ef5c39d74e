-- wrk script: each request takes the next path of a file (one path a line),
-- so a load spreads over many vessels instead of one the server could keep
-- warm.   wrk ... -s bench/rotate.lua URL -- PATHS_FILE
local paths = {}
local next_path = 1

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  -- Each wrk thread starts at its own place in the list.
  next_path = math.random(#paths)
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end
