import fs from 'fs';
const vocabLines = fs.readFileSync('/tmp/h13-restore/vocab.txt','utf8').split(/\r?\n/);
if (vocabLines[vocabLines.length-1]==='') vocabLines.pop();
const vocab = {}; vocabLines.forEach((t,i)=>{ vocab[t]=i; });
const tj = {
  version: "1.0", truncation: null, padding: null,
  added_tokens: ["[PAD]","[UNK]","[CLS]","[SEP]","[MASK]"].map(t=>({id:vocab[t],content:t,single_word:false,lstrip:false,rstrip:false,normalized:false,special:true})),
  normalizer: {type:"BertNormalizer", clean_text:true, handle_chinese_chars:true, strip_accents:null, lowercase:true},
  pre_tokenizer: {type:"BertPreTokenizer"},
  post_processor: {type:"TemplateProcessing",
    single:[{SpecialToken:{id:"[CLS]",type_id:0}},{Sequence:{id:"A",type_id:0}},{SpecialToken:{id:"[SEP]",type_id:0}}],
    pair:[{SpecialToken:{id:"[CLS]",type_id:0}},{Sequence:{id:"A",type_id:0}},{SpecialToken:{id:"[SEP]",type_id:0}},{Sequence:{id:"B",type_id:1}},{SpecialToken:{id:"[SEP]",type_id:1}}],
    special_tokens:{"[CLS]":{id:"[CLS]",ids:[vocab["[CLS]"]],tokens:["[CLS]"]},"[SEP]":{id:"[SEP]",ids:[vocab["[SEP]"]],tokens:["[SEP]"]}}},
  decoder: {type:"WordPiece", prefix:"##", cleanup:true},
  model: {type:"WordPiece", unk_token:"[UNK]", continuing_subword_prefix:"##", max_input_chars_per_word:100, vocab}
};
fs.writeFileSync('tokenizer.json', JSON.stringify(tj));
const cfg = {tokenizer_class:"BertTokenizer", do_lower_case:true, model_max_length:512, cls_token:"[CLS]", sep_token:"[SEP]", pad_token:"[PAD]", unk_token:"[UNK]", mask_token:"[MASK]", strip_accents:null, tokenize_chinese_chars:true};
fs.writeFileSync('tokenizer_config.json', JSON.stringify(cfg));
