-- Loaded by the gateway's HAProxy (rendered by the ailtire controller).
-- A message's Connection header names headers meant for one hop only (RFC 9110, section 7.6.1): a proxy removes
-- them, and the names themselves, before it forwards the message. HAProxy handles keep-alive, close and upgrade
-- itself and leaves the other names (and their headers) in place, so these actions remove them.
local HANDLED = { ["keep-alive"] = true, ["close"] = true, ["upgrade"] = true }

local function strip(headers, delete, set)
    local connection = headers["connection"]
    if connection == nil then
        return
    end
    local kept = {}
    for _, value in pairs(connection) do
        for token in string.gmatch(value, "[^,%s]+") do
            local name = string.lower(token)
            if HANDLED[name] then
                kept[#kept + 1] = name
            elseif name ~= "connection" then
                delete(name)
            end
        end
    end
    delete("connection")
    if #kept > 0 then
        set("connection", table.concat(kept, ", "))
    end
end

core.register_action("strip_connection_named_req", { "http-req" }, function(txn)
    local http = txn.http
    strip(http:req_get_headers(), function(name) http:req_del_header(name) end,
        function(name, value) http:req_set_header(name, value) end)
end)

core.register_action("strip_connection_named_res", { "http-res" }, function(txn)
    local http = txn.http
    strip(http:res_get_headers(), function(name) http:res_del_header(name) end,
        function(name, value) http:res_set_header(name, value) end)
end)
